package io.github.scompose.samples.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The runscript arguments an image declares in its labels, and the check of given values against
 * them: the seed's convention {@code SINGULARITY_RUNSCRIPT_ARG_STR name,ice-cream}, {@code
 * SINGULARITY_RUNSCRIPT_ARG_INT age}, {@code SINGULARITY_RUNSCRIPT_ARG_FLOAT height,weight}, {@code
 * SINGULARITY_RUNSCRIPT_ARG_BOOL is_male,isHungry} (label names in any case; values comma-separated
 * names, white space around them ignored).
 *
 * <p>Declaration order is STR, INT, FLOAT, BOOL, then the order of names in the label; a name
 * declared twice keeps its first type. A declared name that is not a letter or {@code _} followed
 * by at most 63 letters, digits, {@code _ . -} is left out (it would not be a plain {@code --name}
 * flag).
 *
 * <p>{@link #check} is the only way values reach argv: only declared names pass; every value is
 * rendered by its {@link ArgumentType} (strings stripped to one word, numbers matched against their
 * form, flags bare); anything else is a problem and no argv is produced.
 */
public final class RunscriptArguments {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  private final List<RunscriptArgument> declared;

  private RunscriptArguments(List<RunscriptArgument> declared) {
    this.declared = List.copyOf(declared);
  }

  /** The arguments declared by {@code labels} (none when no label declares any). */
  public static RunscriptArguments fromLabels(Map<String, String> labels) {
    Map<String, RunscriptArgument> byName = new LinkedHashMap<>();
    for (ArgumentType type : ArgumentType.values()) {
      for (Map.Entry<String, String> label : labels.entrySet()) {
        if (ArgumentType.ofLabel(label.getKey()).orElse(null) != type || label.getValue() == null) {
          continue;
        }
        for (String part : label.getValue().split(",")) {
          String name = part.strip();
          if (NAME.matcher(name).matches()) {
            byName.putIfAbsent(name, RunscriptArgument.of(name, type));
          }
        }
      }
    }
    return new RunscriptArguments(new ArrayList<>(byName.values()));
  }

  /** The declared arguments, in declaration order. */
  public List<RunscriptArgument> declared() {
    return declared;
  }

  /** The declared argument {@code name}, if any. */
  public Optional<RunscriptArgument> argument(String name) {
    return declared.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /**
   * Checks {@code given} (name to the values given for it; a name given with no value, or an empty
   * list, counts as not given) and renders the argv.
   *
   * @return argv in declaration order when valid; undeclared names as ignored; a problem for a
   *     value that is not of its type, and for a name given more than once
   */
  public CheckedArguments check(Map<String, List<String>> given) {
    CheckedArguments.Builder out = CheckedArguments.builder();
    TreeSet<String> ignored = new TreeSet<>();
    for (String name : given.keySet()) {
      if (argument(name).isEmpty()) {
        ignored.add(name);
      }
    }
    out.addAllIgnored(ignored);
    List<String> argv = new ArrayList<>();
    boolean bad = false;
    for (RunscriptArgument a : declared) {
      List<String> values = given.getOrDefault(a.name(), List.of());
      if (values.isEmpty()) {
        continue;
      }
      if (values.size() > 1) {
        out.addProblem(
            problem(
                a,
                a.name()
                    + " (of type "
                    + a.type().jsonName()
                    + ") is given "
                    + values.size()
                    + " times; give it once"));
        bad = true;
        continue;
      }
      Optional<String> word = a.type().render(values.get(0));
      if (word.isEmpty()) {
        out.addProblem(
            problem(
                a,
                a.name() + " must be of type " + a.type().jsonName() + ": " + a.type().expected()));
        bad = true;
        continue;
      }
      argv.add("--" + a.name());
      if (a.type() != ArgumentType.BOOL) {
        argv.add(word.get());
      }
    }
    if (!bad) {
      out.addAllArgv(argv);
    }
    return out.build();
  }

  private static ArgumentProblem problem(RunscriptArgument a, String message) {
    return ArgumentProblem.builder()
        .argument(a.name())
        .expected(a.type().jsonName())
        .message(message)
        .build();
  }
}
