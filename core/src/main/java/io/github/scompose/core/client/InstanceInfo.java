package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One running instance, as {@code instance list} shows it.
 *
 * <p>Sources: JSON entries {@code {"instance","pid","img"}} (recorded from SingularityCE 3.4.2),
 * plus {@code ip}, {@code logOutPath}, {@code logErrPath} (Apptainer, later SingularityCE); table
 * columns {@code INSTANCE NAME PID [IP] IMAGE} and the 2.x {@code DAEMON NAME PID CONTAINER IMAGE}
 * (2.x JSON keys {@code daemon_name}, {@code container_image} are read too).
 */
@Value.Immutable
@ValueStyle
public abstract class InstanceInfo implements WithInstanceInfo {

  /** Instance name. */
  public abstract String name();

  /** PID of the instance's process on the transport's host. */
  public abstract long pid();

  /** The image it was started from, as given at start. */
  public abstract String image();

  /** Its IP address where the listing has one (empty in 3.4.2 and when not networked). */
  public abstract Optional<String> ip();

  /** Path of its stdout log where the listing has one. */
  public abstract Optional<String> logOutPath();

  /** Path of its stderr log where the listing has one. */
  public abstract Optional<String> logErrPath();

  /** An entry with name, pid and image only. */
  public static InstanceInfo of(String name, long pid, String image) {
    return InstanceInfo.builder().name(name).pid(pid).image(image).build();
  }

  /**
   * A new, empty builder of {@link InstanceInfo}.
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
   * Builds a {@link InstanceInfo}; get one from {@link InstanceInfo#builder()} or {@link
   * InstanceInfo#toBuilder()}.
   */
  public static final class Builder extends ImmutableInstanceInfo.Builder {
    Builder() {}
  }
}
