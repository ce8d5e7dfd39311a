/**
 * Network planning for instances: address allocation over a bridge CIDR, leases shared between
 * projects, {@code /etc/hosts} and {@code resolv.conf} rendering, port mappings and network modes.
 * Pure Java: nothing here starts a process.
 */
package io.github.scompose.network;
