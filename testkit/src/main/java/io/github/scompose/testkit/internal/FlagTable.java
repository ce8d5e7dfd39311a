package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flags each command of each dialect accepts, and a parser with the real binary's (Go pflag's)
 * rules: {@code --name value}, {@code --name=value}, {@code -x value}, {@code -xvalue}, grouped
 * boolean shorthands ({@code -ec}), {@code --} ends flags, and flags end at the first positional
 * argument (the action commands do not intersperse).
 *
 * <p>Sources: SingularityCE 3.4.2's {@code --help} flag lists (recorded from the binary's {@code
 * --help} of each subcommand); Apptainer 1.x and Singularity 2.x from their man pages (not checked
 * against a binary).
 */
final class FlagTable {

  /** One flag: long name, shorthand ({@code 0}: none), value type ({@code ""}: boolean). */
  record Flag(String name, char shorthand, String type) {
    boolean takesValue() {
      return !type.isEmpty();
    }

    String usageLine() {
      String shortPart = shorthand == 0 ? "    " : "-" + shorthand + ", ";
      return "  " + shortPart + "--" + name + (type.isEmpty() ? "" : " " + type);
    }
  }

  /** The parsed form: flag values by long name (booleans hold {@code "true"}) and positionals. */
  record Parsed(Map<String, List<String>> values, List<String> positionals) {
    boolean has(String name) {
      List<String> v = values.get(name);
      return v != null && !v.isEmpty() && !v.get(v.size() - 1).equals("false");
    }

    Optional<String> last(String name) {
      List<String> v = values.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    List<String> all(String name) {
      return values.getOrDefault(name, List.of());
    }
  }

  /** A parse failure, worded as pflag words it. */
  static final class FlagError extends Exception {
    FlagError(String message) {
      super(message, null, false, false);
    }
  }

  private final Map<String, Flag> byName = new LinkedHashMap<>();
  private final Map<Character, Flag> byShort = new java.util.HashMap<>();

  private FlagTable(List<Flag> flags) {
    flags.stream()
        .sorted(Comparator.comparing(Flag::name))
        .forEach(flag -> byName.put(flag.name(), flag));
    for (Flag flag : byName.values()) {
      if (flag.shorthand() != 0) {
        byShort.put(flag.shorthand(), flag);
      }
    }
  }

  /** The usage lines, sorted by long name as pflag prints them. */
  List<String> usageLines() {
    return byName.values().stream().map(Flag::usageLine).toList();
  }

  boolean knows(String name) {
    return byName.containsKey(name);
  }

  /** Parses {@code args}; {@code interspersed}: flags may follow positionals. */
  Parsed parse(List<String> args, boolean interspersed) throws FlagError {
    Map<String, List<String>> values = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    int i = 0;
    while (i < args.size()) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positionals.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (arg.startsWith("--") && arg.length() > 2) {
        String body = arg.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        Flag flag = byName.get(name);
        if (flag == null) {
          throw new FlagError("unknown flag: --" + name);
        }
        String value;
        if (eq >= 0) {
          value = body.substring(eq + 1);
        } else if (flag.takesValue()) {
          if (i + 1 >= args.size()) {
            throw new FlagError("flag needs an argument: --" + name);
          }
          value = args.get(++i);
        } else {
          value = "true";
        }
        add(values, flag, value);
        i++;
      } else if (arg.startsWith("-") && arg.length() > 1) {
        String shorts = arg.substring(1);
        for (int k = 0; k < shorts.length(); k++) {
          char c = shorts.charAt(k);
          Flag flag = byShorthand(c);
          if (flag == null) {
            throw new FlagError("unknown shorthand flag: '" + c + "' in " + arg);
          }
          if (flag.takesValue()) {
            String rest = shorts.substring(k + 1);
            if (rest.startsWith("=")) {
              rest = rest.substring(1);
            }
            if (!rest.isEmpty()) {
              add(values, flag, rest);
            } else if (i + 1 < args.size()) {
              add(values, flag, args.get(++i));
            } else {
              throw new FlagError("flag needs an argument: '" + c + "' in -" + c);
            }
            break;
          }
          add(values, flag, "true");
        }
        i++;
      } else {
        if (!interspersed) {
          positionals.addAll(args.subList(i, args.size()));
          break;
        }
        positionals.add(arg);
        i++;
      }
    }
    return new Parsed(values, positionals);
  }

  private static void add(Map<String, List<String>> values, Flag flag, String value) {
    List<String> list = values.computeIfAbsent(flag.name(), n -> new ArrayList<>());
    if (flag.type().equals("strings")) {
      for (String part : value.split(",", -1)) {
        list.add(part);
      }
    } else {
      list.add(value);
    }
  }

  private Flag byShorthand(char c) {
    return byShort.get(c);
  }

  // ---- the tables ------------------------------------------------------------------------------

  private static Flag b(String name) {
    return new Flag(name, (char) 0, "");
  }

  private static Flag b(char s, String name) {
    return new Flag(name, s, "");
  }

  private static Flag v(String name, String type) {
    return new Flag(name, (char) 0, type);
  }

  private static Flag v(char s, String name, String type) {
    return new Flag(name, s, type);
  }

  /** Flags shared by exec, run and instance start in SingularityCE 3.4.2. */
  private static List<Flag> actionFlags34() {
    return List.of(
        v("add-caps", "string"),
        b("allow-setuid"),
        v("apply-cgroups", "string"),
        v('B', "bind", "strings"),
        b('e', "cleanenv"),
        b('c', "contain"),
        b('C', "containall"),
        b("disable-cache"),
        v("dns", "string"),
        b("docker-login"),
        v("drop-caps", "string"),
        b('f', "fakeroot"),
        b('h', "help"),
        v('H', "home", "string"),
        v("hostname", "string"),
        b('i', "ipc"),
        b("keep-privs"),
        b('n', "net"),
        v("network", "string"),
        v("network-args", "strings"),
        b("no-home"),
        b("no-init"),
        b("no-nv"),
        b("no-privs"),
        b("nohttps"),
        b("nv"),
        v('o', "overlay", "strings"),
        b("passphrase"),
        v("pem-path", "string"),
        b('p', "pid"),
        v('S', "scratch", "strings"),
        v("security", "strings"),
        b('u', "userns"),
        b("uts"),
        v('W', "workdir", "string"),
        b('w', "writable"),
        b("writable-tmpfs"));
  }

  private static List<Flag> execFlags34() {
    List<Flag> flags = new ArrayList<>(actionFlags34());
    flags.addAll(
        List.of(
            v("app", "string"),
            b("nonet"),
            v("pwd", "string"),
            b("vm"),
            v("vm-cpu", "string"),
            b("vm-err"),
            v("vm-ip", "string"),
            v("vm-ram", "string")));
    return flags;
  }

  private static List<Flag> startFlags34() {
    List<Flag> flags = new ArrayList<>(actionFlags34());
    flags.add(b("boot"));
    return flags;
  }

  /** Apptainer 1.x additions to the action flags (man pages; not checked against a binary). */
  private static List<Flag> apptainerActionExtras() {
    return List.of(
        v("env", "strings"),
        v("env-file", "string"),
        v("mount", "strings"),
        v("no-mount", "strings"),
        b("compat"),
        b("no-eval"),
        b("no-umask"),
        b("unsquash"),
        b("rocm"),
        b("nvccli"),
        b("no-https"),
        v("authfile", "string"),
        b("ignore-subuid"),
        b("ignore-fakeroot-command"),
        b("ignore-userns"),
        v("cpus", "string"),
        v("cpu-shares", "int"),
        v("cpuset-cpus", "string"),
        v("cpuset-mems", "string"),
        v("memory", "string"),
        v("memory-reservation", "string"),
        v("memory-swap", "string"),
        v("pids-limit", "int"),
        v("blkio-weight", "int"),
        v("blkio-weight-device", "strings"),
        v("oom-kill-disable", ""),
        v("containlibs", "strings"),
        v("underlay", ""),
        b("no-setgroups"),
        b("no-pid"),
        b("no-tmp-sandbox"),
        v("app", "string"),
        v("cwd", "string"),
        v("pwd", "string"));
  }

  private static List<Flag> apptainerAction(boolean instanceStart) {
    Map<String, Flag> merged = new LinkedHashMap<>();
    for (Flag flag : actionFlags34()) {
      merged.put(flag.name(), flag);
    }
    for (Flag flag : apptainerActionExtras()) {
      merged.put(flag.name(), flag);
    }
    if (instanceStart) {
      merged.put("boot", b("boot"));
      merged.put("pid-file", v("pid-file", "string"));
      merged.put("sharens", b("sharens"));
      merged.remove("app");
      merged.remove("cwd");
      merged.remove("pwd");
    }
    return List.copyOf(merged.values());
  }

  private static List<Flag> twoX() {
    return List.of(
        v('B', "bind", "strings"),
        b('c', "contain"),
        b('C', "containall"),
        b('e', "cleanenv"),
        b('h', "help"),
        v('H', "home", "string"),
        v("hostname", "string"),
        b('i', "ipc"),
        b("nv"),
        v('o', "overlay", "strings"),
        b('p', "pid"),
        v('S', "scratch", "strings"),
        b('u', "userns"),
        v('W', "workdir", "string"),
        b('w', "writable"),
        b("writable-tmpfs"));
  }

  /**
   * The table for {@code command} (e.g. {@code "instance start"}, {@code "exec"}) in {@code
   * dialect}, or empty when the dialect has no such command.
   */
  static Optional<FlagTable> forCommand(FakeDialect dialect, String command) {
    return CACHE.computeIfAbsent(dialect + "/" + command, k -> build(dialect, command));
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Optional<FlagTable>> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Optional<FlagTable> build(FakeDialect dialect, String command) {
    List<Flag> flags =
        switch (dialect) {
          case SINGULARITY_CE_3_4 -> table34(command);
          case APPTAINER_1 -> tableApptainer(command);
          case SINGULARITY_2 -> table2(command);
        };
    return Optional.ofNullable(flags).map(FlagTable::new);
  }

  private static List<Flag> table34(String command) {
    return switch (command) {
      case "exec", "run" -> execFlags34();
      case "instance start" -> startFlags34();
      case "instance list" -> List.of(b('h', "help"), b('j', "json"), v('u', "user", "string"));
      case "instance stop" -> stopFlags();
      case "inspect" -> inspectFlags();
      case "pull" -> pullFlags();
      case "build" -> buildFlags();
      case "version" -> List.of(b('h', "help"));
      default -> null;
    };
  }

  private static List<Flag> tableApptainer(String command) {
    return switch (command) {
      case "exec", "run" -> apptainerAction(false);
      case "instance start", "instance run" -> apptainerAction(true);
      case "instance list" ->
          List.of(
              b('a', "all"),
              b('h', "help"),
              b('j', "json"),
              b('l', "logs"),
              v('u', "user", "string"));
      case "instance stop" -> stopFlags();
      case "inspect" -> {
        List<Flag> flags = new ArrayList<>(inspectFlags());
        flags.add(b("all"));
        flags.add(b('s', "startscript"));
        yield flags;
      }
      case "pull" -> {
        List<Flag> flags = new ArrayList<>(pullFlags());
        flags.add(v("authfile", "string"));
        flags.add(b("no-https"));
        flags.add(b("sandbox"));
        yield flags;
      }
      case "build" -> {
        List<Flag> flags = new ArrayList<>(buildFlags());
        flags.add(v("authfile", "string"));
        flags.add(b("no-https"));
        flags.add(b("ignore-subuid"));
        flags.add(b("ignore-fakeroot-command"));
        flags.add(v("bind", "strings"));
        flags.add(v("mount", "strings"));
        flags.add(b("writable-tmpfs"));
        yield flags;
      }
      case "version" -> List.of(b('h', "help"));
      default -> null;
    };
  }

  /**
   * Singularity 2.x {@code exec}/{@code run}: the start options plus {@code --pwd} ("Initial
   * working directory for payload process inside the container", 2.x exec help; {@code
   * instance.start}'s help has no {@code --pwd}). Documented, not checked against a binary.
   */
  private static List<Flag> twoXAction() {
    List<Flag> flags = new ArrayList<>(twoX());
    flags.add(v("pwd", "string"));
    return flags;
  }

  private static List<Flag> table2(String command) {
    return switch (command) {
      case "exec", "run" -> twoXAction();
      case "instance start" -> twoX();
      case "instance list" -> List.of(b('h', "help"), v('u', "user", "string"));
      case "instance stop" ->
          List.of(
              b('a', "all"),
              b('f', "force"),
              b('h', "help"),
              v('s', "signal", "string"),
              v('t', "timeout", "int"),
              v('u', "user", "string"));
      case "inspect" ->
          List.of(
              b('d', "deffile"),
              b('e', "environment"),
              b('h', "help"),
              b('H', "helpfile"),
              b('j', "json"),
              b('l', "labels"),
              b('r', "runscript"),
              b('t', "test"));
      case "pull" -> List.of(b('F', "force"), b('h', "help"), v('n', "name", "string"));
      case "build" ->
          List.of(
              b('F', "force"), b('h', "help"), b('s', "sandbox"), b('w', "writable"), b("notest"));
      default -> null;
    };
  }

  private static List<Flag> stopFlags() {
    return List.of(
        b('a', "all"),
        b('F', "force"),
        b('h', "help"),
        v('s', "signal", "string"),
        v('t', "timeout", "int"),
        v('u', "user", "string"));
  }

  private static List<Flag> inspectFlags() {
    return List.of(
        v("app", "string"),
        b('d', "deffile"),
        b('e', "environment"),
        b('h', "help"),
        b('H', "helpfile"),
        b('j', "json"),
        b('l', "labels"),
        b("list-apps"),
        b('r', "runscript"),
        b('t', "test"));
  }

  private static List<Flag> pullFlags() {
    return List.of(
        v("arch", "string"),
        v("dir", "string"),
        b("disable-cache"),
        b("docker-login"),
        b('F', "force"),
        b('h', "help"),
        v("library", "string"),
        b("no-cleanup"),
        b("nohttps"));
  }

  private static List<Flag> buildFlags() {
    return List.of(
        v("arch", "string"),
        v("builder", "string"),
        b('d', "detached"),
        b("disable-cache"),
        b("docker-login"),
        b('e', "encrypt"),
        b('f', "fakeroot"),
        b('F', "force"),
        b('h', "help"),
        b("json"),
        v("library", "string"),
        b("no-cleanup"),
        b("nohttps"),
        b('T', "notest"),
        b("passphrase"),
        v("pem-path", "string"),
        b('r', "remote"),
        b('s', "sandbox"),
        v("section", "strings"),
        v("tmpdir", "string"),
        b('u', "update"));
  }

  /** Global flags before the command. */
  static FlagTable global(FakeDialect dialect) {
    return GLOBAL.computeIfAbsent(dialect, FlagTable::buildGlobal);
  }

  private static final java.util.concurrent.ConcurrentHashMap<FakeDialect, FlagTable> GLOBAL =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static FlagTable buildGlobal(FakeDialect dialect) {
    List<Flag> flags = new ArrayList<>();
    flags.add(b('d', "debug"));
    flags.add(b('h', "help"));
    flags.add(b("nocolor"));
    flags.add(b('q', "quiet"));
    flags.add(b('s', "silent"));
    flags.add(b('v', "verbose"));
    flags.add(b("version"));
    flags.add(b('x', "sh-debug"));
    if (dialect == FakeDialect.APPTAINER_1) {
      flags.add(v('c', "config", "string"));
      flags.add(b("build-config"));
    }
    return new FlagTable(flags);
  }
}
