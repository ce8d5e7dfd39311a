package io.github.scompose.core.client;

import io.github.scompose.style.ValueStyle;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * The flavour and version of a {@code singularity}/{@code apptainer} binary, parsed from what
 * {@code --version} prints.
 *
 * <p>Forms understood by {@link #parse(String)}:
 *
 * <ul>
 *   <li>{@code apptainer version 1.3.4} (Apptainer docs);
 *   <li>{@code singularity-ce version 4.1.2} (SingularityCE docs);
 *   <li>{@code singularity version 3.4.2} (recorded from SingularityCE 3.4.2);
 *   <li>a bare number: {@code 3.8.7}, {@code 2.6.1-dist} (Singularity 2.x prints this), {@code
 *       1.3.4} — flavour {@link Flavour#SINGULARITY} unless {@link #parse(String, String)} is given
 *       a program name containing {@code apptainer}.
 * </ul>
 *
 * A missing patch number reads as 0; anything after the numbers ({@code -dist}, {@code -1.el8},
 * {@code +rc.1}) is kept in {@link #suffix()}. {@link #format()} renders the first form; {@code
 * parse(v.format())} gives {@code v} back.
 */
@Value.Immutable
@ValueStyle
public abstract class BinaryVersion implements Comparable<BinaryVersion>, WithBinaryVersion {

  private static final Pattern NAMED =
      Pattern.compile("(?i)^(apptainer|singularity-ce|singularity)\\s+version\\s+(\\S+)\\s*$");
  private static final Pattern NUMBER = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(.*)$");

  /** Which project built the binary. */
  public abstract Flavour flavour();

  /** Major version, {@code >= 0}. */
  public abstract int major();

  /** Minor version, {@code >= 0}. */
  public abstract int minor();

  /** Patch version, {@code >= 0}; 0 when the binary printed none. */
  public abstract int patch();

  /** What followed the numbers, e.g. {@code -dist}, {@code -1.el8}; empty by default. */
  @Value.Default
  public String suffix() {
    return "";
  }

  @Value.Check
  protected void check() {
    if (major() < 0 || minor() < 0 || patch() < 0) {
      throw new IllegalArgumentException("version numbers must be >= 0: " + numbers());
    }
    if (suffix().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("version suffix '" + suffix() + "' contains whitespace");
    }
  }

  /** A version with no suffix. */
  public static BinaryVersion of(Flavour flavour, int major, int minor, int patch) {
    return BinaryVersion.builder().flavour(flavour).major(major).minor(minor).patch(patch).build();
  }

  /**
   * Parses {@code --version} output (surrounding whitespace and blank lines ignored; the first
   * non-blank line counts).
   *
   * @throws IllegalArgumentException when the text is in none of the forms above; the message
   *     quotes it
   */
  public static BinaryVersion parse(String versionOutput) {
    return parse(versionOutput, "");
  }

  /**
   * Like {@link #parse(String)}, with the program's name or path to decide the flavour of a bare
   * number: {@code /usr/bin/apptainer} makes {@code 1.3.4} Apptainer.
   */
  public static BinaryVersion parse(String versionOutput, String program) {
    String line =
        versionOutput
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("empty version output"));
    Matcher named = NAMED.matcher(line);
    if (named.matches()) {
      Flavour flavour =
          switch (named.group(1).toLowerCase(Locale.ROOT)) {
            case "apptainer" -> Flavour.APPTAINER;
            case "singularity-ce" -> Flavour.SINGULARITY_CE;
            default -> Flavour.SINGULARITY;
          };
      return numbers(flavour, named.group(2), line);
    }
    String name = program.substring(program.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    Flavour flavour = name.contains("apptainer") ? Flavour.APPTAINER : Flavour.SINGULARITY;
    return numbers(flavour, line, line);
  }

  private static BinaryVersion numbers(Flavour flavour, String text, String line) {
    Matcher m = NUMBER.matcher(text);
    if (!m.matches() || m.group(4).chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("not a singularity/apptainer version: '" + line + "'");
    }
    try {
      return BinaryVersion.builder()
          .flavour(flavour)
          .major(Integer.parseInt(m.group(1)))
          .minor(Integer.parseInt(m.group(2)))
          .patch(m.group(3) == null ? 0 : Integer.parseInt(m.group(3)))
          .suffix(m.group(4))
          .build();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("version number too large in '" + line + "'", e);
    }
  }

  /** {@code 3.4.2-dist}: the numbers and the suffix. */
  public String numbers() {
    return major() + "." + minor() + "." + patch() + suffix();
  }

  /** {@code apptainer version 1.3.4}: the form the binaries print. */
  public String format() {
    return flavour().word() + " version " + numbers();
  }

  /** Whether this version is {@code major.minor} or later (suffix ignored). */
  public boolean isAtLeast(int major, int minor) {
    return major() > major || (major() == major && minor() >= minor);
  }

  /** Orders by flavour, then numbers, then suffix. */
  @Override
  public int compareTo(BinaryVersion o) {
    int c = flavour().compareTo(o.flavour());
    if (c == 0) c = Integer.compare(major(), o.major());
    if (c == 0) c = Integer.compare(minor(), o.minor());
    if (c == 0) c = Integer.compare(patch(), o.patch());
    if (c == 0) c = suffix().compareTo(o.suffix());
    return c;
  }

  @Override
  public String toString() {
    return format();
  }

  /**
   * A new, empty builder of {@link BinaryVersion}.
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
   * Builds a {@link BinaryVersion}; get one from {@link BinaryVersion#builder()} or {@link
   * BinaryVersion#toBuilder()}.
   */
  public static final class Builder extends ImmutableBinaryVersion.Builder {
    Builder() {}
  }
}
