/**
 * Not API. The machinery behind the public transports: starting a local process, draining its
 * output, killing its process tree, and building the remote shell line for SSH.
 */
package io.github.scompose.core.internal.transport;
