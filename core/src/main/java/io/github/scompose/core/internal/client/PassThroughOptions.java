package io.github.scompose.core.internal.client;

import java.util.Optional;

/**
 * Compose {@code options} entries to flags, as singularity-compose 0.1.19 does (recorded argv):
 * {@code x} to {@code -x}, {@code name} to {@code --name}, {@code k=v} to {@code --k=v}; entries
 * that already start with {@code -} stay as they are (singularity-compose wrote {@code
 * ----contain}, a defect).
 */
public final class PassThroughOptions {

  private PassThroughOptions() {}

  /** The flag for one compose option entry. */
  public static String render(String option) {
    if (option.isEmpty()) {
      throw new IllegalArgumentException("an empty option");
    }
    if (option.startsWith("-")) {
      return option;
    }
    int eq = option.indexOf('=');
    String name = eq < 0 ? option : option.substring(0, eq);
    return (name.length() == 1 ? "-" : "--") + option;
  }

  /** {@code --name} of a rendered long flag ({@code --k=v} gives {@code --k}); empty for short. */
  public static Optional<String> longName(String flag) {
    if (!flag.startsWith("--") || flag.length() == 2) {
      return Optional.empty();
    }
    int eq = flag.indexOf('=');
    return Optional.of(eq < 0 ? flag : flag.substring(0, eq));
  }
}
