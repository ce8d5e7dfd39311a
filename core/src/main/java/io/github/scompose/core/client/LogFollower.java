package io.github.scompose.core.client;

import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows an instance's {@code .out} and {@code .err} logs by polling {@link
 * Transport#readFile(String, long)} with a growing offset, and hands each complete line to a {@link
 * LogListener} (a last line without newline waits for its newline). Works the same over every
 * transport; a file that does not exist yet is waited for.
 *
 * <p>Made by {@link SingularityClient#followLogs}; {@link #start()} polls on a daemon thread every
 * poll interval (default 250 ms) until {@link #close()}; {@link #pollOnce()} polls once on the
 * caller's thread (what tests use).
 */
public final class LogFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);

  private final Transport transport;
  private final Map<LogStream, String> paths = new EnumMap<>(LogStream.class);
  private final Map<LogStream, Long> offsets = new EnumMap<>(LogStream.class);
  private final Map<LogStream, ByteArrayOutputStream> partial = new EnumMap<>(LogStream.class);
  private final LogListener listener;
  private final Sleeper sleeper;
  private final Duration pollInterval;
  private volatile boolean closed;
  private Thread thread;

  LogFollower(
      Transport transport,
      InstanceLogs start,
      boolean fromEnd,
      LogListener listener,
      Sleeper sleeper,
      Duration pollInterval) {
    this.transport = transport;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.sleeper = sleeper;
    this.pollInterval = pollInterval;
    paths.put(LogStream.OUT, start.outPath());
    paths.put(LogStream.ERR, start.errPath());
    for (LogStream s : LogStream.values()) {
      String text = s == LogStream.OUT ? start.out() : start.err();
      offsets.put(s, fromEnd ? (long) text.getBytes(StandardCharsets.UTF_8).length : 0L);
      partial.put(s, new ByteArrayOutputStream());
    }
  }

  /** A follower from the byte offsets {@code outFrom} and {@code errFrom} of the two files. */
  LogFollower(
      Transport transport,
      String outPath,
      String errPath,
      long outFrom,
      long errFrom,
      LogListener listener,
      Sleeper sleeper,
      Duration pollInterval) {
    this.transport = transport;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.sleeper = sleeper;
    this.pollInterval = pollInterval;
    paths.put(LogStream.OUT, outPath);
    paths.put(LogStream.ERR, errPath);
    offsets.put(LogStream.OUT, outFrom);
    offsets.put(LogStream.ERR, errFrom);
    for (LogStream s : LogStream.values()) {
      partial.put(s, new ByteArrayOutputStream());
    }
  }

  /**
   * Reads what was appended since the last poll and delivers its complete lines.
   *
   * @return whether any line was delivered
   * @throws TransportException when a log exists but cannot be read
   */
  public synchronized boolean pollOnce() {
    boolean delivered = false;
    for (LogStream s : LogStream.values()) {
      Optional<byte[]> bytes = transport.readFile(paths.get(s), offsets.get(s));
      if (bytes.isEmpty() || bytes.get().length == 0) {
        continue;
      }
      byte[] b = bytes.get();
      offsets.put(s, offsets.get(s) + b.length);
      ByteArrayOutputStream line = partial.get(s);
      for (byte x : b) {
        if (x == '\n') {
          listener.onLine(s, line.toString(StandardCharsets.UTF_8));
          line.reset();
          delivered = true;
        } else {
          line.write(x);
        }
      }
    }
    return delivered;
  }

  /** Starts polling on a daemon thread; returns this. Call once. */
  public synchronized LogFollower start() {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    thread = new Thread(this::loop, "scompose-logs-" + paths.get(LogStream.OUT));
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  private void loop() {
    while (!closed) {
      try {
        pollOnce();
        sleeper.sleep(pollInterval);
      } catch (InterruptedException e) {
        return;
      } catch (TransportException e) {
        LOG.debug("log follow of {} stopped: {}", paths.get(LogStream.OUT), e.getMessage());
        return;
      }
    }
  }

  /** Stops polling (and waits up to 1 s for the thread). Idempotent. */
  @Override
  public void close() {
    closed = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
