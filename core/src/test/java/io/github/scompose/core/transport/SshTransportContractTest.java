package io.github.scompose.core.transport;

import io.github.scompose.core.transport.contract.TransportContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TransportContract} for {@link SshTransport}, against a {@link ThrowawaySshd} on 127.0.0.1
 * (so the remote files are this machine's). Skipped with a notice when {@code sshd} is absent.
 */
class SshTransportContractTest extends TransportContract {

  private static ThrowawaySshd server;
  private static SshTransport shared;

  @BeforeAll
  static void startSshd() throws Exception {
    server = ThrowawaySshd.startOrSkip();
    shared = SshTransport.create(server.config().build());
  }

  @AfterAll
  static void stopSshd() throws Exception {
    if (shared != null) {
      shared.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** One transport, one connection for all the tests (a login per test would cost seconds). */
  @Override
  protected Transport createTransport() {
    return shared;
  }

  @Override
  protected void releaseTransport(Transport transport) {}
}
