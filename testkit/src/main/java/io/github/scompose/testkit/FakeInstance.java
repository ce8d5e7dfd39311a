package io.github.scompose.testkit;

import io.github.scompose.style.ValueStyle;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/** A snapshot of one instance the fake runtime lists, for assertions in tests. */
@Value.Immutable
@ValueStyle
public interface FakeInstance extends WithFakeInstance {

  /** The instance name. */
  String name();

  /**
   * The listed PID: a fake number in the in-JVM form, a real host process (alive until stopped) in
   * the directory-backed form.
   */
  long pid();

  /** The image path or URI as given to {@code instance start}. */
  String image();

  /** The address given by {@code --network-args IP=...} (or allocated for {@code --net}). */
  Optional<String> ip();

  /** The start arguments after the instance name. */
  List<String> arguments();

  /** The instance's environment (image environment plus injected variables). */
  Map<String, String> environment();

  /** The options (flags) given to {@code instance start}, in order, e.g. {@code --net}. */
  List<String> options();

  /** When the instance started, on the runtime's time source. */
  Instant startedAt();

  /** Whether it was stopped and is only still listed (the real binary's lag after a kill). */
  boolean stopping();

  /**
   * A new, empty builder of {@link FakeInstance}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link FakeInstance}; get one from {@link FakeInstance#builder()} or {@link
   * FakeInstance#toBuilder()}.
   */
  static final class Builder extends ImmutableFakeInstance.Builder {
    Builder() {}
  }
}
