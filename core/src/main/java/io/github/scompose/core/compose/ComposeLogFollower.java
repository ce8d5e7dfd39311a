package io.github.scompose.core.compose;

import io.github.scompose.core.client.LogFollower;
import java.util.List;

/**
 * Follows the logs of several instances at once ({@link ComposeStack#followLogs}): one {@link
 * LogFollower} per instance, each polling its {@code .out} and {@code .err} files with a growing
 * offset. Made not yet started: {@link #start()} polls on one daemon thread per instance at the
 * client's poll interval (default 250 ms) until {@link #close()}; {@link #pollOnce()} polls once on
 * the caller's thread. Thread-safe.
 */
public final class ComposeLogFollower implements AutoCloseable {

  private final List<LogFollower> followers;

  ComposeLogFollower(List<LogFollower> followers) {
    this.followers = List.copyOf(followers);
  }

  /**
   * Starts polling in the background; returns this. Call once.
   *
   * @throws IllegalStateException when already started
   */
  public ComposeLogFollower start() {
    followers.forEach(LogFollower::start);
    return this;
  }

  /**
   * Reads what every log gained since the last poll and delivers its complete lines.
   *
   * @return whether any line was delivered
   * @throws io.github.scompose.core.transport.TransportException when a log exists but cannot be
   *     read
   */
  public boolean pollOnce() {
    boolean any = false;
    for (LogFollower f : followers) {
      any |= f.pollOnce();
    }
    return any;
  }

  /** How many instances are followed. */
  public int instances() {
    return followers.size();
  }

  /** Stops every follower (waits up to 1 s for each polling thread). Idempotent. */
  @Override
  public void close() {
    followers.forEach(LogFollower::close);
  }
}
