package io.github.scompose.testkit;

import io.github.scompose.style.ValueStyle;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * An image the fake runtime knows, by path (e.g. {@code /images/svc.sif}) or URI (e.g. {@code
 * docker://redis:7}, which {@code pull} copies to its output file). Nothing of it runs on the host:
 * {@link #startscript()} and {@link #runscript()} are only shown by {@code inspect}; what an
 * instance "prints" is {@link #startscriptStdout()}/{@link #startscriptStderr()}, appended to its
 * log files.
 *
 * <p>Scripted lines are expanded like a shell would the simple cases: {@code $@} and {@code $*}
 * (the start arguments joined by spaces), {@code $1}..{@code $9}, {@code $NAME} and {@code ${NAME}}
 * (the instance's environment: {@link #environment()} plus injected variables); unknown names
 * expand to the empty string.
 *
 * <p>Build with {@code FakeImage.builder().path("/images/web.sif")...build()} or {@link
 * #of(String)}.
 */
@Value.Immutable
@ValueStyle
public abstract class FakeImage implements Serializable, WithFakeImage {

  /** The path or URI by which commands name the image. */
  public abstract String path();

  /** Labels shown by {@code inspect} (default: none), in this order. */
  public abstract Map<String, String> labels();

  /** The image's {@code %environment} (default: none); seen by instances and {@code exec}. */
  public abstract Map<String, String> environment();

  /** The {@code %runscript} text shown by {@code inspect --runscript}; default empty. */
  @Value.Default
  public String runscript() {
    return "";
  }

  /** The {@code %startscript} text (informational); default empty. */
  @Value.Default
  public String startscript() {
    return "";
  }

  /** Lines an instance's startscript writes to stdout (its {@code .out} log); default none. */
  public abstract List<String> startscriptStdout();

  /**
   * Lines an instance's startscript writes to stderr (its {@code .err} log, and echoed by {@code
   * instance start} as recorded from SingularityCE 3.4.2); default none.
   */
  public abstract List<String> startscriptStderr();

  /** Lines {@code run} (and {@code instance run}) print; default none. */
  public abstract List<String> runscriptStdout();

  /**
   * What {@code run IMAGE ARGS...} answers, computed from the arguments (e.g. {@link
   * FakeRunscript#helloName()}); default none: {@code run} prints {@link #runscriptStdout()} and
   * exits 0. {@code instance run} ignores it.
   */
  public abstract Optional<FakeRunscript> runscriptBehaviour();

  /** The host name inside an instance without {@code --hostname}; default: the runtime's. */
  public abstract Optional<String> hostname();

  /**
   * How long a clean {@code instance stop} takes (recorded from 3.4.2: about 1.5-2 s); default
   * zero.
   */
  @Value.Default
  public Duration stopDuration() {
    return Duration.ZERO;
  }

  /**
   * Whether the instance ignores the stop signal, so that {@code instance stop} waits its full
   * {@code -t} timeout (default 10 s) and prints {@code Killing NAME instance of IMAGE (PID=N)
   * (Timeout)}, as recorded from 3.4.2 for a startscript with a background child. Default false.
   */
  @Value.Default
  public boolean ignoresStopSignal() {
    return false;
  }

  /** A plain image at {@code path}: no labels, environment or scripted output. */
  public static FakeImage of(String path) {
    return FakeImage.builder().path(path).build();
  }

  /**
   * A new, empty builder of {@link FakeImage}.
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
   * Builds a {@link FakeImage}; get one from {@link FakeImage#builder()} or {@link
   * FakeImage#toBuilder()}.
   */
  public static final class Builder extends ImmutableFakeImage.Builder {
    Builder() {}
  }
}
