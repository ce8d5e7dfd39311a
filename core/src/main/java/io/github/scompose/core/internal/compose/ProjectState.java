package io.github.scompose.core.internal.compose;

import io.github.scompose.core.transport.FileStamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code .scompose/state.json} holds: enough for {@code ps}, {@code down} and {@code logs}
 * from another process, or after the JVM that ran {@code up} died.
 *
 * @param project project name
 * @param directory project directory
 * @param session who wrote it: {@code <pid>@<host>} of the JVM
 * @param updatedAt when it was written
 * @param instances the instances started, in start order
 */
public record ProjectState(
    String project, String directory, String session, Instant updatedAt, List<Entry> instances) {

  /** Current format version of the file. */
  public static final int FORMAT = 1;

  /** A state; {@code instances} is copied (a state read back is shared, {@link ParsedFiles}). */
  public ProjectState {
    instances = List.copyOf(instances);
  }

  /**
   * One instance.
   *
   * @param service service name
   * @param name instance name
   * @param replica replica number
   * @param level dependency level (down stops the highest first)
   * @param image image path
   * @param pid PID seen by the startup check, 0 when unknown
   * @param ip address from the network plan, empty when none
   * @param restarts restarts by the engine
   * @param config hash of the instance's start command and environment (a changed one means
   *     recreate on the next up); never the values themselves
   * @param imageStamp size and modification time of {@code image} on the runtime's host when the
   *     instance was last started ({@code Transport.stat}), so that {@code up} recreates it after
   *     its SIF or sandbox was rebuilt or pulled again at the same path; empty when unknown (the
   *     image could not be looked at, or a state file written before stamps were recorded)
   * @param starting written ahead by {@code up} before its {@code instance start} was issued, and
   *     not yet confirmed running by its startup check: the instance may or may not exist (the JVM
   *     that ran {@code up} may have died in between); {@code down} stops it all the same, and the
   *     next {@code up} adopts or recreates it. JSON key {@code "starting": true}, absent when
   *     false
   * @param startingSince when the entry was written ahead as {@code starting} (JSON key {@code
   *     "startingSince"}, an ISO-8601 instant; absent when not starting or in files written before
   *     it was recorded): {@code down} waits for such an instance that is not listed until {@link
   *     io.github.scompose.core.compose.Compose.Builder#startingGrace} after it
   */
  public record Entry(
      String service,
      String name,
      int replica,
      int level,
      String image,
      long pid,
      String ip,
      int restarts,
      String config,
      Optional<FileStamp> imageStamp,
      boolean starting,
      Optional<java.time.Instant> startingSince) {

    /** An entry without the instant it was written ahead at. */
    public Entry(
        String service,
        String name,
        int replica,
        int level,
        String image,
        long pid,
        String ip,
        int restarts,
        String config,
        Optional<FileStamp> imageStamp,
        boolean starting) {
      this(
          service,
          name,
          replica,
          level,
          image,
          pid,
          ip,
          restarts,
          config,
          imageStamp,
          starting,
          Optional.empty());
    }

    /** A confirmed entry ({@code starting} false). */
    public Entry(
        String service,
        String name,
        int replica,
        int level,
        String image,
        long pid,
        String ip,
        int restarts,
        String config,
        Optional<FileStamp> imageStamp) {
      this(service, name, replica, level, image, pid, ip, restarts, config, imageStamp, false);
    }

    /** An entry without an image stamp. */
    public Entry(
        String service,
        String name,
        int replica,
        int level,
        String image,
        long pid,
        String ip,
        int restarts,
        String config) {
      this(service, name, replica, level, image, pid, ip, restarts, config, Optional.empty());
    }

    /** This entry with {@code pid}, {@code restarts} and {@code imageStamp} replaced. */
    public Entry withRun(long pid, int restarts, Optional<FileStamp> imageStamp) {
      return new Entry(
          service,
          name,
          replica,
          level,
          image,
          pid,
          ip,
          restarts,
          config,
          imageStamp,
          starting,
          startingSince);
    }
  }
}
