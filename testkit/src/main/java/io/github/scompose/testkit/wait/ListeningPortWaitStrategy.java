package io.github.scompose.testkit.wait;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Ready when a TCP connection from this host to each port succeeds (ports mapped through {@link
 * WaitTarget#hostAddress}); no ports given means every published port of the instance.
 */
final class ListeningPortWaitStrategy extends PollingWaitStrategy {
  private static final int CONNECT_TIMEOUT_MS = 1000;
  private final List<Integer> ports;

  ListeningPortWaitStrategy(List<Integer> ports) {
    ports.forEach(Wait::checkPort);
    this.ports = List.copyOf(ports);
  }

  @Override
  protected Optional<String> unmet(WaitTarget target) {
    List<Integer> wanted = ports.isEmpty() ? target.publishedPorts() : ports;
    if (wanted.isEmpty()) {
      throw new IllegalStateException(
          "instance "
              + target.instance()
              + " publishes no TCP port: name the ports to wait for, e.g."
              + " Wait.forListeningPort(8080)");
    }
    for (int port : wanted) {
      InetSocketAddress address = target.hostAddress(port);
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(address.getHostString(), address.getPort()), CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        return Optional.of(
            "no connection to "
                + address.getHostString()
                + ":"
                + address.getPort()
                + " ("
                + e.getMessage()
                + ")");
      }
    }
    return Optional.empty();
  }

  @Override
  public String description() {
    return ports.isEmpty()
        ? "every published port to accept TCP connections from this host"
        : "port(s) "
            + ports.stream().map(String::valueOf).collect(Collectors.joining(", "))
            + " to accept TCP connections from this host";
  }
}
