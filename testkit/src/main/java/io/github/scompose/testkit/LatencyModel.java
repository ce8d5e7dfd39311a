package io.github.scompose.testkit;

import io.github.scompose.style.ValueStyle;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.immutables.value.Value;

/**
 * How long the fake runtime's {@code instance start} and {@code instance stop} take, so that engine
 * benchmarks on the fake predict a real binary (issue 11). Off by default ({@link
 * FakeRuntime.Builder#latencyModel}): tests stay fast.
 *
 * <p>Each call lasts a time drawn uniformly from its range, on the fake's {@link FakeTimeSource} (a
 * {@link VirtualTimeSource} just advances). Of that time, the CPU part ({@link #startCpu()}, {@link
 * #stopCpu()}) needs one of {@link #cores()} processors, so that calls in parallel slow each other
 * down as on the measured machine; the rest overlaps freely. That contention is modelled per fake
 * runtime in one JVM (the in-JVM transport); the out-of-process emulator applies the ranges only.
 *
 * <p>{@link #singularityCe342()} holds the figures measured on a real SingularityCE 3.4.2 with 2
 * cores (issue 11): {@code instance start} 0.31–0.34 s, with {@code --net --network bridge}
 * 0.40–0.48 s, 10 bridge starts in parallel 0.96 s in all (so about 0.13 s of each is CPU); {@code
 * instance stop} 1.3–1.7 s, 10 in parallel 2.1 s (about 0.15 s CPU), of which the instance's record
 * was gone after 0.2–0.3 s ({@link #stopMin()}, {@link #stopMax()}) and the rest (1.0–2.0 s, {@link
 * #reapMin()}, {@link #reapMax()}) was the binary waiting for the host's init (in that VM, one that
 * reaps on a one-second tick) to reap the instance's dead monitor process. With {@link
 * #sigintDeafStartscripts()}, every instance is like one whose startscript backgrounds a daemon
 * that ignores SIGINT, the binary's default stop signal: a stop with SIGINT (no {@code --signal},
 * or {@code --signal INT}) waits the whole {@code --timeout} (default 10 s) and then kills it, as
 * recorded from 3.4.2 ({@code Killing ... (Timeout)}); a stop with another signal ({@code -s TERM})
 * takes the stop range.
 */
@Value.Immutable
@ValueStyle
public abstract class LatencyModel implements Serializable, WithLatencyModel {

  /**
   * System property choosing a model for fakes built without one: {@code scompose.fake.latency}.
   */
  public static final String PROPERTY = "scompose.fake.latency";

  /** Environment variable doing the same (the property wins): {@code SCOMPOSE_FAKE_LATENCY}. */
  public static final String VARIABLE = "SCOMPOSE_FAKE_LATENCY";

  /** Shortest {@code instance start} without {@code --net}. */
  public abstract Duration startMin();

  /** Longest {@code instance start} without {@code --net}. */
  public abstract Duration startMax();

  /** Shortest {@code instance start --net} (a network other than {@code none}). */
  public abstract Duration netStartMin();

  /** Longest {@code instance start --net}. */
  public abstract Duration netStartMax();

  /** Shortest clean {@code instance stop}, until the instance and its record are gone. */
  public abstract Duration stopMin();

  /** Longest clean {@code instance stop}. */
  public abstract Duration stopMax();

  /**
   * Shortest time an {@code instance stop} goes on after the instance and its record are gone,
   * until the host's init reaps the instance's dead monitor process (the binary waits for that);
   * default zero.
   */
  @Value.Default
  public Duration reapMin() {
    return Duration.ZERO;
  }

  /** Longest such time; default zero. */
  @Value.Default
  public Duration reapMax() {
    return Duration.ZERO;
  }

  /** The part of a start that needs a processor (at most the start itself); default zero. */
  @Value.Default
  public Duration startCpu() {
    return Duration.ZERO;
  }

  /** The part of a stop that needs a processor; default zero. */
  @Value.Default
  public Duration stopCpu() {
    return Duration.ZERO;
  }

  /** Processors the CPU parts share; default 2 (the measured machine), at least 1. */
  @Value.Default
  public int cores() {
    return 2;
  }

  /**
   * Whether every instance ignores SIGINT (see the type's comment); default false.
   *
   * @return whether a SIGINT stop waits for the timeout
   */
  @Value.Default
  public boolean sigintDeafStartscripts() {
    return false;
  }

  @Value.Check
  protected void check() {
    check("start", startMin(), startMax());
    check("net start", netStartMin(), netStartMax());
    check("stop", stopMin(), stopMax());
    check("reap", reapMin(), reapMax());
    if (startCpu().isNegative() || stopCpu().isNegative()) {
      throw new IllegalArgumentException("a CPU part is negative");
    }
    if (cores() < 1) {
      throw new IllegalArgumentException("cores " + cores() + " is below 1");
    }
  }

  private static void check(String what, Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          what + " range " + min + ".." + max + " is negative or reversed");
    }
  }

  /** The figures of SingularityCE 3.4.2 on 2 cores (see the type's comment); SIGINT heard. */
  public static LatencyModel singularityCe342() {
    return LatencyModel.builder()
        .startMin(Duration.ofMillis(310))
        .startMax(Duration.ofMillis(340))
        .netStartMin(Duration.ofMillis(400))
        .netStartMax(Duration.ofMillis(480))
        .stopMin(Duration.ofMillis(200))
        .stopMax(Duration.ofMillis(300))
        .reapMin(Duration.ofMillis(1000))
        .reapMax(Duration.ofMillis(2000))
        .startCpu(Duration.ofMillis(130))
        .stopCpu(Duration.ofMillis(150))
        .cores(2)
        .build();
  }

  /** No latency at all (every range zero). */
  public static LatencyModel none() {
    return LatencyModel.builder()
        .startMin(Duration.ZERO)
        .startMax(Duration.ZERO)
        .netStartMin(Duration.ZERO)
        .netStartMax(Duration.ZERO)
        .stopMin(Duration.ZERO)
        .stopMax(Duration.ZERO)
        .build();
  }

  /**
   * The model named by {@code text}: {@code singularity-ce-3.4.2} (or {@code real}) for {@link
   * #singularityCe342()}, {@code sigint-deaf} for it with {@link #sigintDeafStartscripts()}; {@code
   * off}, {@code none} or blank for none.
   *
   * @throws IllegalArgumentException for another name, naming the ones understood
   */
  public static Optional<LatencyModel> named(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "", "off", "none" -> Optional.empty();
      case "real", "singularity-ce-3.4.2" -> Optional.of(singularityCe342());
      case "sigint-deaf" -> Optional.of(singularityCe342().withSigintDeafStartscripts(true));
      default ->
          throw new IllegalArgumentException(
              "latency model '"
                  + text
                  + "' is not one of off, real (singularity-ce-3.4.2), sigint-deaf");
    };
  }

  /**
   * The model chosen by the system property {@value #PROPERTY}, else the environment variable
   * {@value #VARIABLE}; empty when neither is set.
   *
   * @throws IllegalArgumentException for a name {@link #named} does not know
   */
  public static Optional<LatencyModel> fromSystem(
      Function<String, String> properties, Function<String, String> environment) {
    String p = properties.apply(PROPERTY);
    return named(p != null && !p.isBlank() ? p : environment.apply(VARIABLE));
  }

  /**
   * A new, empty builder of {@link LatencyModel}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link LatencyModel}; get one from {@link LatencyModel#builder()} or {@link
   * LatencyModel#toBuilder()}.
   */
  public static final class Builder extends ImmutableLatencyModel.Builder {
    Builder() {}
  }
}
