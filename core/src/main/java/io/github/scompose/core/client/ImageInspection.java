package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What {@code inspect} said about an image. From {@code inspect --json}: {@code
 * {"attributes":{"labels":{…},"runscript":…,"environment":…,"apps":…},"type":"container"}}
 * (recorded from SingularityCE 3.4.2, where {@code apps} is {@code ""} when there are none).
 * Without {@code --json}, only {@link #output()} is filled.
 */
@Value.Immutable
@ValueStyle
public abstract class ImageInspection implements WithImageInspection {

  /** The image's labels; empty when not asked for or none. */
  public abstract Map<String, String> labels();

  /** The runscript text, when asked for. */
  public abstract Optional<String> runscript();

  /** The environment script text, when asked for. */
  public abstract Optional<String> environment();

  /** SCIF app names, when listed. */
  public abstract List<String> apps();

  /** The binary's stdout as printed. */
  public abstract String output();

  /**
   * A new, empty builder of {@link ImageInspection}.
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
   * Builds a {@link ImageInspection}; get one from {@link ImageInspection#builder()} or {@link
   * ImageInspection#toBuilder()}.
   */
  public static final class Builder extends ImmutableImageInspection.Builder {
    Builder() {}
  }
}
