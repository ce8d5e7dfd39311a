package io.github.scompose.core.internal.client;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.Build;
import io.github.scompose.core.client.ContainerSettings;
import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.Inspect;
import io.github.scompose.core.client.InstanceList;
import io.github.scompose.core.client.InstanceRun;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.client.Pull;
import io.github.scompose.core.client.RenderedCommand;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.errors.UnknownFlagException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders each command's arguments for a dialect. One place for every flag's spelling and order;
 * checks each option against the dialect before anything runs.
 */
public final class ArgvRenderer {

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ArgvRenderer() {}

  /** {@code instance start}. */
  public static RenderedCommand instanceStart(InstanceStart c, Dialect d) {
    return launch(d.instanceStartCommand(), c, c.image(), c.name(), c.args(), d, "instance start");
  }

  /** {@code instance run}. */
  public static RenderedCommand instanceRun(InstanceRun c, Dialect d) {
    if (!d.supportsInstanceRun()) {
      throw new UnknownFlagException("instance run", d.version().format());
    }
    return launch(d.instanceRunCommand(), c, c.image(), c.name(), c.args(), d, "instance run");
  }

  private static RenderedCommand launch(
      List<String> verb,
      ContainerSettings s,
      String image,
      String name,
      List<String> args,
      Dialect d,
      String what) {
    Builder b = new Builder(d, what);
    b.args.addAll(verb);
    b.settings(s);
    b.args.add(image);
    b.args.add(name);
    b.args.addAll(args);
    return b.build();
  }

  /** {@code exec}. */
  public static RenderedCommand exec(Exec c, Dialect d) {
    Builder b = new Builder(d, "exec");
    b.args.add("exec");
    b.settings(c);
    c.app().ifPresent(a -> b.args.addAll(List.of("--app", a)));
    b.args.add(c.target());
    b.args.addAll(c.command());
    return b.build();
  }

  /** {@code run}. */
  public static RenderedCommand run(Run c, Dialect d) {
    Builder b = new Builder(d, "run");
    b.args.add("run");
    b.settings(c);
    c.app().ifPresent(a -> b.args.addAll(List.of("--app", a)));
    b.args.add(c.target());
    b.args.addAll(c.args());
    return b.build();
  }

  /** {@code instance list}. */
  public static RenderedCommand instanceList(InstanceList c, Dialect d) {
    Builder b = new Builder(d, "instance list");
    b.args.addAll(d.instanceListCommand());
    if (d.supportsJsonList()) {
      b.args.add("--json");
    }
    c.user()
        .ifPresent(
            u -> {
              b.require(d.supportsJsonList(), "--user");
              b.args.addAll(List.of("--user", u));
            });
    return b.build();
  }

  /** {@code instance stop}. */
  public static RenderedCommand instanceStop(InstanceStop c, Dialect d) {
    Builder b = new Builder(d, "instance stop");
    b.args.addAll(d.instanceStopCommand());
    c.signal()
        .ifPresent(
            s -> {
              b.require(d.supportsOption("instance stop", "--signal"), "--signal");
              b.args.addAll(List.of("--signal", s));
            });
    c.timeout()
        .ifPresent(
            t -> {
              b.require(d.supportsStopTimeout(), "--timeout");
              b.args.addAll(List.of("--timeout", Long.toString(wholeSeconds(t))));
            });
    if (c.force()) {
      b.args.add("--force");
    }
    if (c.all()) {
      b.args.add("--all");
    }
    c.name().ifPresent(b.args::add);
    return b.build();
  }

  /** {@code 1.5}, {@code 2} (no trailing zeros, no exponent). */
  static String decimal(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static long wholeSeconds(Duration t) {
    long s = t.getSeconds();
    return t.getNano() > 0 ? s + 1 : s;
  }

  /** {@code pull}. */
  public static RenderedCommand pull(Pull c, Dialect d) {
    Builder b = new Builder(d, "pull");
    b.args.add("pull");
    if (c.force()) {
      b.args.add("--force");
    }
    b.options(c.options());
    if (d.pullTakesDestinationArgument()) {
      c.destination().ifPresent(b.args::add);
    } else {
      c.destination().ifPresent(dest -> b.args.addAll(List.of("--name", dest)));
    }
    b.args.add(c.uri());
    return b.build();
  }

  /** {@code build}. */
  public static RenderedCommand build(Build c, Dialect d) {
    Builder b = new Builder(d, "build");
    b.args.add("build");
    b.flag(c.fakeroot(), d.supportsFakeroot(), "--fakeroot");
    b.flag(c.sandbox(), true, "--sandbox");
    b.flag(c.force(), true, "--force");
    b.options(c.options());
    b.args.add(c.destination());
    b.args.add(c.spec());
    return b.build();
  }

  /** {@code inspect}. */
  public static RenderedCommand inspect(Inspect c, Dialect d) {
    Builder b = new Builder(d, "inspect");
    b.args.add("inspect");
    b.flag(c.json(), true, "--json");
    b.flag(c.labels(), true, "--labels");
    b.flag(c.runscript(), true, "--runscript");
    b.flag(c.environment(), true, "--environment");
    b.flag(c.listApps(), true, "--list-apps");
    c.app().ifPresent(a -> b.args.addAll(List.of("--app", a)));
    b.args.add(c.image());
    return b.build();
  }

  private static final class Builder {
    final Dialect dialect;
    final String what;
    final List<String> args = new ArrayList<>();
    final Map<String, String> environment = new LinkedHashMap<>();
    String envFileContent;

    Builder(Dialect dialect, String what) {
      this.dialect = dialect;
      this.what = what;
    }

    void require(boolean supported, String flag) {
      if (!supported) {
        throw new UnknownFlagException(flag, dialect.version().format() + " " + what);
      }
    }

    void flag(boolean wanted, boolean supported, String flag) {
      if (wanted) {
        require(supported, flag);
        args.add(flag);
      }
    }

    void settings(ContainerSettings s) {
      for (Bind bind : s.binds()) {
        args.addAll(List.of("--bind", bind.spec()));
      }
      flag(s.net(), dialect.supportsNetworking(), "--net");
      s.network()
          .ifPresent(
              n -> {
                require(dialect.supportsNetworking(), "--network");
                args.addAll(List.of("--network", n));
              });
      for (String a : s.networkArgs()) {
        require(dialect.supportsNetworking(), "--network-args");
        args.addAll(List.of("--network-args", a));
      }
      flag(s.fakeroot(), dialect.supportsFakeroot(), "--fakeroot");
      flag(s.contain(), true, "--contain");
      flag(s.containall(), true, "--containall");
      flag(s.cleanenv(), true, "--cleanenv");
      s.home().ifPresent(h -> args.addAll(List.of("--home", h)));
      s.pwd()
          .ifPresent(
              p -> {
                require(dialect.supportsOption(what, "--pwd"), "--pwd");
                args.addAll(List.of("--pwd", p));
              });
      flag(s.nv(), true, "--nv");
      flag(s.rocm(), dialect.supportsRocm(), "--rocm");
      s.cpus()
          .ifPresent(
              c -> {
                require(dialect.supportsResourceFlags(), "--cpus");
                args.addAll(List.of("--cpus", decimal(c)));
              });
      s.memory()
          .ifPresent(
              m -> {
                require(dialect.supportsResourceFlags(), "--memory");
                args.addAll(List.of("--memory", Long.toString(m)));
              });
      s.pidsLimit()
          .ifPresent(
              n -> {
                require(dialect.supportsResourceFlags(), "--pids-limit");
                args.addAll(List.of("--pids-limit", Long.toString(n)));
              });
      s.applyCgroups()
          .ifPresent(
              f -> {
                require(
                    dialect.supportsApplyCgroups()
                        && dialect.supportsOption(what, "--apply-cgroups"),
                    "--apply-cgroups");
                args.addAll(List.of("--apply-cgroups", f));
              });
      for (String o : s.overlays()) {
        args.addAll(List.of("--overlay", o));
      }
      for (String dir : s.scratch()) {
        require(dialect.supportsOption(what, "--scratch"), "--scratch");
        args.addAll(List.of("--scratch", dir));
      }
      s.envFile()
          .ifPresent(
              f -> {
                require(dialect.supportsEnvFile(), "--env-file");
                args.addAll(List.of("--env-file", f));
              });
      environment(s.environment(), s.envFile().isEmpty());
      options(s.options());
      s.hostname()
          .ifPresent(
              h -> {
                require(dialect.supportsHostname(), "--hostname");
                args.addAll(List.of("--hostname", h));
              });
      flag(s.writableTmpfs(), true, "--writable-tmpfs");
    }

    void environment(Map<String, String> env, boolean envFileFree) {
      if (env.isEmpty()) {
        return;
      }
      for (Map.Entry<String, String> e : env.entrySet()) {
        if (!ENV_NAME.matcher(e.getKey()).matches()) {
          throw new IllegalArgumentException(
              "environment variable name '" + e.getKey() + "' is not [A-Za-z_][A-Za-z0-9_]*");
        }
        if (e.getValue().indexOf('\0') >= 0) {
          throw new IllegalArgumentException(
              "the value of environment variable " + e.getKey() + " contains a NUL character");
        }
      }
      if (dialect.supportsEnvFile() && envFileFree) {
        envFileContent = EnvFileFormat.render(env);
        args.addAll(List.of("--env-file", RenderedCommand.ENV_FILE_PLACEHOLDER));
      } else {
        env.forEach((k, v) -> environment.put(dialect.envPrefix() + k, v));
      }
    }

    void options(List<String> options) {
      for (String option : options) {
        String rendered = PassThroughOptions.render(option);
        PassThroughOptions.longName(rendered)
            .filter(n -> !dialect.supportsOption(what, n))
            .ifPresent(n -> require(false, n));
        args.add(rendered);
      }
    }

    RenderedCommand build() {
      RenderedCommand.Builder b = RenderedCommand.builder().args(args).environment(environment);
      if (envFileContent != null) {
        b.envFileContent(envFileContent);
      }
      return b.build();
    }
  }
}
