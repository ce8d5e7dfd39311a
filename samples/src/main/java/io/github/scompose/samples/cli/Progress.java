package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Shows the engine's progress on stderr. When stdout is not a terminal (pipes, CI, tests): one
 * plain line per event, {@code [+] <instance or service> <what>} — stable, greppable. On a
 * terminal: the same lines above a one-line bar {@code [===== ] 3/6 started} redrawn in place.
 * Called from engine threads, so every print is synchronised.
 *
 * <p>Each error is printed once: a {@code failed} event that carries the report of the exception
 * the command then ends with ({@code up failed at web-1: …}, {@code start failed at …}: {@link
 * io.github.scompose.core.compose.ComposeOperationException}'s message) is shown as {@code [+]
 * web-1 failed}, and the report itself comes once, at the end, from the command's error handler.
 * The engine's events logger ({@link ComposeEvent#LOGGER}) is turned down by {@link LogLevels}
 * unless {@code --debug}, as these lines show every event.
 */
final class Progress implements ComposeListener {

  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final boolean terminal;
  private final AtomicInteger done = new AtomicInteger();
  private volatile int total;
  private boolean barShown;
  private final Set<String> launched = new LinkedHashSet<>();

  /** When each service's pull or build began (its PULLING/BUILDING event). */
  private final Map<String, Instant> imageBegan = new HashMap<>();

  /** The size in bytes of a file on the runtime's host, when known. */
  private final Function<String, OptionalLong> sizes;

  Progress(PrintWriter err, boolean terminal) {
    this(err, terminal, path -> OptionalLong.empty());
  }

  /**
   * @param sizes the size in bytes of a file on the runtime's host (for the {@code image ready}
   *     line of a pull or build), empty when unknown
   */
  Progress(PrintWriter err, boolean terminal, Function<String, OptionalLong> sizes) {
    this.err = err;
    this.terminal = terminal;
    this.sizes = sizes;
  }

  /**
   * {@code " (2.4 MiB in 3.1 s)"} for an image pulled or built now: the file's size (the binary's
   * own progress output is not captured: none of it was recorded from SingularityCE 3.4.2) and the
   * time from its {@code pulling}/{@code building} event; empty when the image existed.
   */
  private String imageDetails(ComposeEvent e) {
    String service = e.service().orElse("");
    Instant began = imageBegan.remove(service);
    if (began == null || e.message().endsWith(" exists")) {
      return "";
    }
    OptionalLong size = sizes.apply(e.message().strip());
    Duration took = Duration.between(began, e.time());
    return " ("
        + (size.isPresent() ? bytes(size.getAsLong()) + " in " : "")
        + String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0)
        + ")";
  }

  /** {@code 512 B}, {@code 1.5 KiB}, {@code 2.4 MiB}, {@code 1.1 GiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** The instances the engine began to start (a {@code starting} event), in order. */
  Set<String> launched() {
    synchronized (launched) {
      return new LinkedHashSet<>(launched);
    }
  }

  /** How many instances the bar counts to; 0 hides the bar. */
  void expect(int instances) {
    this.total = instances;
    done.set(0);
  }

  @Override
  public synchronized void onEvent(ComposeEvent e) {
    if ((e.type() == ComposeEvent.Type.PULLING || e.type() == ComposeEvent.Type.BUILDING)
        && e.service().isPresent()) {
      imageBegan.put(e.service().get(), e.time());
    }
    String subject = e.instance().or(e::service).orElse(e.project());
    String what =
        switch (e.type()) {
          case PULLING -> "pulling " + e.message();
          case BUILDING -> "building " + e.message();
          case IMAGE_READY -> "image ready " + e.message() + imageDetails(e);
          case STARTING -> "starting";
          case STARTED -> "started " + e.message();
          case HEALTHY -> "healthy";
          case FAILED -> reportedAtTheEnd(e) ? "failed" : "failed: " + e.message();
          case RESTARTING -> "restarting " + e.message();
          case STOPPING -> "stopping " + e.message();
          case STOPPED -> "stopped " + e.message();
          case RECOVERED -> "recovered: " + e.message();
        };
    if (e.type() == ComposeEvent.Type.STARTING && e.instance().isPresent()) {
      synchronized (launched) {
        launched.add(e.instance().get());
      }
    }
    if (e.type() == ComposeEvent.Type.STARTED || e.type() == ComposeEvent.Type.STOPPED) {
      done.incrementAndGet();
    }
    if (terminal && barShown) {
      err.print("\r\033[2K");
    }
    err.println("[+] " + subject + " " + what.strip());
    if (terminal && total > 0) {
      int n = Math.min(done.get(), total);
      int filled = WIDTH * n / total;
      err.print(
          "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + n + "/" + total + "\r");
      barShown = true;
    }
    err.flush();
  }

  /**
   * Whether {@code e}'s message is the report of a {@link
   * io.github.scompose.core.compose.ComposeOperationException} ({@code <operation> failed at
   * <subject>: …}), which the command prints when it ends.
   */
  static boolean reportedAtTheEnd(ComposeEvent e) {
    String subject = e.instance().or(e::service).orElse("");
    return !subject.isEmpty()
        && e.message().matches("(?s)[a-z]+ failed at \\Q" + subject + "\\E: .*");
  }

  /** Ends the bar line, if one is shown. */
  synchronized void finish() {
    if (barShown) {
      err.print("\r\033[2K");
      err.flush();
      barShown = false;
    }
  }
}
