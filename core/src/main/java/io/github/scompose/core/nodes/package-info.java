/**
 * One stack across several nodes (issue 16): {@link io.github.scompose.core.nodes.Node}s from a
 * list, a label file or a Slurm allocation, a pure {@link io.github.scompose.core.nodes.Placement}
 * of every instance on a node, and {@link io.github.scompose.core.nodes.ComposeAcrossNodes}, which
 * runs one single-node {@link io.github.scompose.core.compose.Compose} engine per node (each over
 * the node's own {@link io.github.scompose.core.transport.Transport}: SSH, {@link
 * io.github.scompose.core.transport.SrunTransport}, or an in-JVM fake) with host networking and a
 * hosts file that maps every service to its node's address.
 */
package io.github.scompose.core.nodes;
