package io.github.scompose.core.client;

import io.github.scompose.network.Protocol;
import io.github.scompose.network.PublishedPort;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The ports an instance's start settings publish on this host, read from its flags: the lookup
 * behind {@code mappedPort} (Testcontainers' {@code getMappedPort}) of stacks and single instances.
 */
public final class PublishedPorts {

  private PublishedPorts() {}

  /**
   * The ports {@code settings} publish through CNI portmap ({@code --network-args
   * portmap=HOST:CONTAINER/PROTO}, recorded from SingularityCE 3.4.2), in argument order; empty in
   * host networking. An argument not of that form is skipped (the binary refuses it anyway).
   */
  public static List<PublishedPort> of(ContainerSettings settings) {
    List<PublishedPort> out = new ArrayList<>();
    for (String a : settings.networkArgs()) {
      if (a.startsWith("portmap=")) {
        try {
          out.add(PublishedPort.parse(a.substring("portmap=".length())));
        } catch (IllegalArgumentException e) {
          // not of the form this library writes
        }
      }
    }
    return out;
  }

  /**
   * The host port on which {@code containerPort} of an instance started with {@code settings} is
   * reachable from this host: without {@code --net} (host networking) the instance shares the
   * host's ports, so it is {@code containerPort} itself; with {@code --net} the host port of the
   * matching {@code portmap} argument, or empty when there is none (not published, or {@code
   * --network none}).
   */
  public static OptionalInt hostPort(
      ContainerSettings settings, int containerPort, Protocol protocol) {
    if (!settings.net() && !settings.options().contains("--net")) {
      return OptionalInt.of(containerPort);
    }
    return of(settings).stream()
        .filter(p -> p.containerPort() == containerPort && p.protocol() == protocol)
        .mapToInt(PublishedPort::hostPort)
        .findFirst();
  }
}
