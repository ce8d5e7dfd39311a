package io.github.scompose.core.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.HostPorts;

/**
 * Service-provider interface of the embedded fake runtime, which core does not contain: {@code
 * scompose-testkit} implements it and declares it in {@code
 * META-INF/services/io.github.scompose.core.compose.EmbeddedRuntimeProvider}. {@link
 * ComposeWiring#local} finds it with {@link java.util.ServiceLoader} when the runtime choice is
 * {@link RuntimeChoice#FAKE}, or {@link RuntimeChoice#AUTO} without a binary; without the testkit
 * on the class path that is an error saying to add it or to install a binary.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface EmbeddedRuntimeProvider {

  /**
   * A client of this JVM's embedded runtime. Every call returns a client of the same runtime
   * (created on the first call), so that engines made one after the other see the same instances.
   */
  SingularityClient client();

  /**
   * Host ports as the embedded runtime sees them: its instances bind nothing on this host, so
   * published ports are planned against its own bookkeeping, not this host's sockets.
   */
  HostPorts hostPorts();

  /** A short description for messages, e.g. {@code "scompose-testkit FakeRuntime (in memory)"}. */
  String describe();
}
