/**
 * The instance client: typed, immutable commands ({@link
 * io.github.scompose.core.client.InstanceStart}, {@link
 * io.github.scompose.core.client.InstanceList}, {@link io.github.scompose.core.client.Exec} …) that
 * render their exact argv through a {@link io.github.scompose.core.client.Dialect} of the binary,
 * and the {@link io.github.scompose.core.client.SingularityClient} that runs them over a {@link
 * io.github.scompose.core.transport.Transport}.
 */
package io.github.scompose.core.client;
