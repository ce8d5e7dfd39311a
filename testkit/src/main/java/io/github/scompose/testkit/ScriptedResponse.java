package io.github.scompose.testkit;

import io.github.scompose.style.ValueStyle;
import java.io.Serializable;
import java.time.Duration;
import org.immutables.value.Value;

/**
 * What a scripted command answers: exit code, stdout, stderr, after an optional delay, or a hang
 * that never answers (the transport's timeout then fires: {@code CommandTimeoutException} on the
 * in-JVM transport, a killed process out of process).
 */
@Value.Immutable
@ValueStyle
public abstract class ScriptedResponse implements Serializable, WithScriptedResponse {

  /** The exit code; default 0. */
  @Value.Default
  public int exitCode() {
    return 0;
  }

  /** Text written to stdout, verbatim (add the trailing newline yourself); default empty. */
  @Value.Default
  public String stdout() {
    return "";
  }

  /** Text written to stderr, verbatim; default empty. */
  @Value.Default
  public String stderr() {
    return "";
  }

  /** Time that passes (on the runtime's {@link FakeTimeSource}) before the answer; default 0. */
  @Value.Default
  public Duration delay() {
    return Duration.ZERO;
  }

  /** Whether the command hangs and never answers; default false. */
  @Value.Default
  public boolean hangs() {
    return false;
  }

  /** Exit code {@code exitCode} with {@code stdout}. */
  public static ScriptedResponse of(int exitCode, String stdout) {
    return ScriptedResponse.builder().exitCode(exitCode).stdout(stdout).build();
  }

  /** Exit 0 with {@code stdout} plus a newline, e.g. {@code ok("PONG")}. */
  public static ScriptedResponse ok(String stdoutLine) {
    return of(0, stdoutLine + "\n");
  }

  /** Exit {@code exitCode} with {@code stderr}. */
  public static ScriptedResponse failure(int exitCode, String stderr) {
    return ScriptedResponse.builder().exitCode(exitCode).stderr(stderr).build();
  }

  /** A command that never answers. */
  public static ScriptedResponse hang() {
    return ScriptedResponse.builder().hangs(true).build();
  }

  /**
   * A new, empty builder of {@link ScriptedResponse}.
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
   * Builds a {@link ScriptedResponse}; get one from {@link ScriptedResponse#builder()} or {@link
   * ScriptedResponse#toBuilder()}.
   */
  public static final class Builder extends ImmutableScriptedResponse.Builder {
    Builder() {}
  }
}
