package io.github.scompose.core.internal.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The remote command's process id, announced by the remote line on stderr before anything else as
 * {@code \001scompose-pid <pid>\n} and taken off the stream here, so that a timeout or cancel can
 * kill the remote process group (sshd runs each session's command in a new session, so its PID is
 * also its process group id).
 */
public final class RemoteProcessGroup {

  /** The shell fragment that announces the PID; starts the remote line. */
  public static final String ANNOUNCE = "printf '\\001scompose-pid %s\\n' \"$$\" >&2; ";

  private static final byte MARK = 1;
  private static final String PREFIX = "scompose-pid ";
  private static final int MAX_LINE = 64;

  private final AtomicLong pid = new AtomicLong(-1);
  private final CountDownLatch firstLineRead = new CountDownLatch(1);
  private volatile boolean killed;

  /** Records that the transport killed the group (timeout, cancel or interrupt). */
  public void markKilled() {
    killed = true;
  }

  /** Whether the transport killed the group. */
  public boolean killed() {
    return killed;
  }

  /** The remote PID once announced. */
  public OptionalLong pid() {
    long value = pid.get();
    return value > 0 ? OptionalLong.of(value) : OptionalLong.empty();
  }

  /**
   * The remote PID, waiting up to {@code wait} for the stderr reader to take the announcement off
   * the stream: the remote line announces it before the command runs, but the reader thread may not
   * have read it yet when a timeout or interrupt comes right after the start. Returns empty when
   * stderr began with something else, ended, or {@code wait} passed.
   */
  public OptionalLong awaitPid(Duration wait) {
    try {
      firstLineRead.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return pid();
  }

  /**
   * {@code stderr} without the announcement line, if it starts with one; the PID it carries is
   * recorded. Anything else passes unchanged.
   */
  public InputStream strip(InputStream stderr) {
    return new Stripping(stderr, pid::set, firstLineRead::countDown);
  }

  private static final class Stripping extends FilterInputStream {
    private final LongConsumer onPid;
    private final Runnable onChecked;
    private byte[] pending;
    private int pendingPos;
    private boolean checked;

    Stripping(InputStream in, LongConsumer onPid, Runnable onChecked) {
      super(in);
      this.onPid = onPid;
      this.onChecked = onChecked;
    }

    private void check() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      try {
        readAnnouncement();
      } finally {
        onChecked.run();
      }
    }

    private void readAnnouncement() throws IOException {
      int first = in.read();
      if (first < 0) {
        pending = new byte[0];
        return;
      }
      if (first != MARK) {
        pending = new byte[] {(byte) first};
        return;
      }
      byte[] line = new byte[MAX_LINE];
      int n = 0;
      int b;
      while (n < MAX_LINE && (b = in.read()) >= 0 && b != '\n') {
        line[n++] = (byte) b;
      }
      String text = new String(line, 0, n, StandardCharsets.US_ASCII);
      if (text.startsWith(PREFIX)) {
        try {
          onPid.accept(Long.parseLong(text.substring(PREFIX.length()).trim()));
          pending = new byte[0];
          return;
        } catch (NumberFormatException e) {
          // not ours after all: pass it on below
        }
      }
      byte[] passOn = new byte[n + 2];
      passOn[0] = MARK;
      System.arraycopy(line, 0, passOn, 1, n);
      passOn[n + 1] = '\n';
      pending = passOn;
    }

    @Override
    public int read() throws IOException {
      check();
      if (pendingPos < pending.length) {
        return pending[pendingPos++] & 0xff;
      }
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      check();
      if (len == 0) {
        return 0;
      }
      if (pendingPos < pending.length) {
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
      }
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return checked ? (pending.length - pendingPos) + in.available() : 0;
    }
  }
}
