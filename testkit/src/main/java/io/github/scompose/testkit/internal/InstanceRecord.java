package io.github.scompose.testkit.internal;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One instance in the emulator's state. {@code ip}: its bridge address (null: host networking);
 * {@code hostPorts}: the host ports its {@code portmap} network arguments hold, as {@code
 * 8080/tcp}. {@code diesAt} is when a scripted crash ends it ({@code null}: never); {@code
 * listedUntil} is set once stopped: the instance stays listed until then.
 */
record InstanceRecord(
    String name,
    long pid,
    Instant processStart,
    String image,
    String ip,
    List<String> hostPorts,
    String hostname,
    List<String> arguments,
    List<String> options,
    Map<String, String> environment,
    Instant startedAt,
    Instant diesAt,
    Instant listedUntil)
    implements Serializable {

  boolean stopped() {
    return listedUntil != null;
  }

  InstanceRecord stoppedUntil(Instant until) {
    return new InstanceRecord(
        name,
        pid,
        processStart,
        image,
        ip,
        hostPorts,
        hostname,
        arguments,
        options,
        environment,
        startedAt,
        diesAt,
        until);
  }

  InstanceRecord dyingAt(Instant when) {
    return new InstanceRecord(
        name,
        pid,
        processStart,
        image,
        ip,
        hostPorts,
        hostname,
        arguments,
        options,
        environment,
        startedAt,
        when,
        listedUntil);
  }
}
