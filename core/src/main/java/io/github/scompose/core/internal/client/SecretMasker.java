package io.github.scompose.core.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks secret values in an argv before it reaches a log or an exception: values of {@code --env
 * K=V} / {@code --env=K=V} (a pass-through option could carry them), of {@code
 * SINGULARITYENV_K=V}/{@code APPTAINERENV_K=V}, of options whose name mentions a password, token or
 * secret ({@code --db-password=x}, {@code --token x}), and of bare {@code NAME=value} words whose
 * name contains {@code PASSWORD}, {@code PASSWD}, {@code SECRET}, {@code TOKEN}, {@code KEY} or
 * {@code CREDENTIAL}, in any case ({@code PASSWORD=x}, {@code api_token=x} as a command's
 * argument). Names stay visible; values become {@code ***}. {@link #maskText} does the same for the
 * words of a free text (an error's reason).
 */
public final class SecretMasker {

  /** What a masked value reads as. */
  public static final String MASK = "***";

  private static final Pattern SECRET_OPTION =
      Pattern.compile("(?i)--?[\\w-]*(password|passwd|token|secret)[\\w-]*");

  /** A bare {@code NAME=value} word's name that says the value is secret. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i)(?=[a-z_])[\\w.-]*?(password|passwd|secret|token|key|credential)[\\w.-]*");

  /**
   * In a free text: a secret-looking {@code NAME=} or {@code --name=} inside a word (quoted, or
   * after other characters), and its value up to white space or a quote.
   */
  private static final Pattern EMBEDDED =
      Pattern.compile(
          "(?i)((?<![\\w.-])-{0,2}(?=[a-z_])[\\w.-]*?(?:password|passwd|secret|token|key|credential)"
              + "[\\w.-]*=)[^\\s'\"]+");

  private static final Pattern WORD_OR_SPACE = Pattern.compile("\\s+|\\S+");

  private SecretMasker() {}

  /**
   * Whether a variable's or label's name says its value is secret: it contains {@code PASSWORD},
   * {@code PASSWD}, {@code SECRET}, {@code TOKEN}, {@code KEY} or {@code CREDENTIAL}, in any case
   * (the rule {@link #mask} applies to bare {@code NAME=value} words).
   */
  public static boolean isSecretName(String name) {
    return name != null && SECRET_NAME.matcher(name).matches();
  }

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
      } else if (eq > 0 && SECRET_NAME.matcher(name).matches()) {
        out.add(name + "=" + MASK);
      } else {
        out.add(arg);
      }
    }
    return out;
  }

  /**
   * {@code text} with its words masked as by {@link #mask} (white space kept as it is), and any
   * secret-looking {@code NAME=value} or {@code --name=value} inside a word masked too. {@code
   * null} stays {@code null}.
   */
  public static String maskText(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<String> parts = new ArrayList<>();
    var m = WORD_OR_SPACE.matcher(text);
    while (m.find()) {
      parts.add(m.group());
    }
    // mask the words as one argv (an option's value is its next word), spaces kept in between
    List<String> words = parts.stream().filter(w -> !w.isBlank()).toList();
    List<String> masked = mask(words);
    StringBuilder b = new StringBuilder(text.length());
    int k = 0;
    for (String part : parts) {
      b.append(part.isBlank() ? part : masked.get(k++));
    }
    return EMBEDDED.matcher(b).replaceAll("$1" + java.util.regex.Matcher.quoteReplacement(MASK));
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
