package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeImage;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The mutable state of one emulated runtime: instances (sorted by name), built/pulled images. */
final class EmulatorState implements Serializable {
  final TreeMap<String, InstanceRecord> instances = new TreeMap<>();
  final Map<String, FakeImage> createdImages = new HashMap<>();
  long nextPid;

  /** The bridge address reserved last (CNI host-local's {@code last_reserved_ip}); null: none. */
  String lastReservedIp;

  /** The earliest scripted death or end of a post-stop listing; null: none pending. */
  java.time.Instant nextDeadline;

  void deadline(java.time.Instant at) {
    if (at != null && (nextDeadline == null || at.isBefore(nextDeadline))) {
      nextDeadline = at;
    }
  }

  EmulatorState(long firstPid) {
    this.nextPid = firstPid;
  }
}
