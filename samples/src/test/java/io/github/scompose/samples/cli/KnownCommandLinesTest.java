package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@link KnownCommandLines}: each known argument list makes the command picocli makes from it,
 * field for field; every other list goes through picocli.
 */
class KnownCommandLinesTest {

  static List<List<String>> known() {
    return KnownCommandLines.KNOWN;
  }

  @ParameterizedTest
  @MethodSource("known")
  void aKnownLineMakesTheCommandPicocliMakesFromIt(List<String> line) throws Exception {
    String[] args = line.toArray(String[]::new);
    ScomposeCommand parsedRoot = new ScomposeCommand();
    CommandLine.ParseResult parsed = ScomposeCommand.commandLine(parsedRoot, args).parseArgs(args);
    Object byPicocli = parsed.subcommand().commandSpec().userObject();

    ScomposeCommand knownRoot = new ScomposeCommand();
    Object known = KnownCommandLines.command(knownRoot, args).orElseThrow();

    assertSame(byPicocli.getClass(), known.getClass());
    List<String> differences = new ArrayList<>();
    compare("", byPicocli, known, differences);
    compare("root.", parsedRoot, knownRoot, differences);
    assertEquals(List.of(), differences, String.join(" ", args));
    onlyFieldsWithoutDefaults(parsed.commandSpec());
    onlyFieldsWithoutDefaults(parsed.subcommand().commandSpec());
    Field parent = parentField(known.getClass());
    assertSame(knownRoot, parent.get(known), "the root is the command's parent");
    assertSame(parsedRoot, parent.get(byPicocli));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "up",
        "up -d web",
        "up -d --no-deps",
        "up -d -d",
        "-d up",
        "-f x.yml up -d",
        "down -v",
        "down --help",
        "ps",
        "config",
        "up --detach=true"
      })
  void everyOtherLineGoesThroughPicocli(String line) {
    assertTrue(KnownCommandLines.command(new ScomposeCommand(), line.split(" ")).isEmpty(), line);
  }

  /**
   * Fails when picocli would give {@code spec}'s command anything the direct path does not: a
   * default of its own, or an injection other than option, parameter, mixin and parent fields.
   */
  private static void onlyFieldsWithoutDefaults(CommandLine.Model.CommandSpec spec) {
    String command = spec.qualifiedName();
    assertNull(spec.defaultValueProvider(), command + ": a default provider");
    for (CommandLine.Model.ArgSpec arg : spec.args()) {
      assertNull(arg.defaultValue(), command + ": a defaultValue on " + arg.paramLabel());
    }
    assertTrue(spec.argGroups().isEmpty(), command + ": an @ArgGroup");
    for (Object user : userObjects(spec)) {
      for (Class<?> c = user.getClass(); c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          assertFalse(
              f.isAnnotationPresent(CommandLine.Spec.class)
                  || f.isAnnotationPresent(CommandLine.ArgGroup.class),
              command + ": picocli injects " + f.getName());
        }
        for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
          assertFalse(
              m.isAnnotationPresent(CommandLine.Option.class)
                  || m.isAnnotationPresent(CommandLine.Parameters.class)
                  || m.isAnnotationPresent(CommandLine.Spec.class),
              command + ": an annotated method " + m.getName());
        }
      }
    }
  }

  private static List<Object> userObjects(CommandLine.Model.CommandSpec spec) {
    List<Object> out = new ArrayList<>();
    out.add(spec.userObject());
    for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
      out.add(mixin.userObject());
    }
    return out;
  }

  /** Adds to {@code out} every option, parameter or mixin field that differs. */
  private static void compare(String prefix, Object a, Object b, List<String> out)
      throws IllegalAccessException {
    int fields = 0;
    for (Class<?> c = a.getClass(); c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        f.setAccessible(true);
        if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
          compare(prefix + f.getName() + ".", f.get(a), f.get(b), out);
          fields++;
        } else if (f.isAnnotationPresent(CommandLine.Option.class)
            || f.isAnnotationPresent(CommandLine.Parameters.class)) {
          if (!Objects.equals(f.get(a), f.get(b))) {
            out.add(prefix + f.getName() + ": picocli " + f.get(a) + ", known " + f.get(b));
          }
          fields++;
        }
      }
    }
    assertTrue(fields > 0, prefix + a.getClass().getSimpleName() + " has options to compare");
  }

  private static Field parentField(Class<?> c) {
    for (Field f : c.getDeclaredFields()) {
      if (f.isAnnotationPresent(CommandLine.ParentCommand.class)) {
        f.setAccessible(true);
        return f;
      }
    }
    throw new AssertionError(c + " has no @ParentCommand field");
  }
}
