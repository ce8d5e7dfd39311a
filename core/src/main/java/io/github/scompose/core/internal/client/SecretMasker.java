package io.github.scompose.core.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks secret values in an argv before it reaches a log or an exception: values of {@code --env
 * K=V} / {@code --env=K=V} (a pass-through option could carry them), of {@code
 * SINGULARITYENV_K=V}/{@code APPTAINERENV_K=V}, and of options whose name mentions a password,
 * token or secret. Names stay visible; values become {@code ***}.
 */
public final class SecretMasker {

  /** What a masked value reads as. */
  public static final String MASK = "***";

  private static final Pattern SECRET_OPTION =
      Pattern.compile("(?i)--?[\\w-]*(password|passwd|token|secret)[\\w-]*");

  private SecretMasker() {}

  /** A copy of {@code argv} with secret values masked. */
  public static List<String> mask(List<String> argv) {
    List<String> out = new ArrayList<>(argv.size());
    boolean nextIsAssignment = false;
    boolean nextIsSecret = false;
    for (String arg : argv) {
      if (nextIsSecret) {
        out.add(MASK);
        nextIsSecret = false;
        continue;
      }
      if (nextIsAssignment) {
        out.add(maskAssignments(arg));
        nextIsAssignment = false;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg : arg.substring(0, eq);
      if (name.equals("--env") || name.equals("--env-var")) {
        if (eq < 0) {
          nextIsAssignment = true;
          out.add(arg);
        } else {
          out.add(name + "=" + maskAssignments(arg.substring(eq + 1)));
        }
      } else if (SECRET_OPTION.matcher(name).matches()) {
        if (eq < 0) {
          nextIsSecret = true;
          out.add(arg);
        } else {
          out.add(name + "=" + MASK);
        }
      } else if (eq > 0
          && (name.startsWith("SINGULARITYENV_") || name.startsWith("APPTAINERENV_"))) {
        out.add(name + "=" + MASK);
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  /**
   * {@code A=1} to {@code A=***}. {@code A=1,B=2} becomes {@code A=***}: values may contain commas,
   * so only the first name stays visible.
   */
  private static String maskAssignments(String value) {
    int eq = value.indexOf('=');
    if (eq < 0) {
      return value;
    }
    return value.substring(0, eq) + "=" + MASK;
  }
}
