package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeRunscript;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.ScriptedResponse;
import io.github.scompose.testkit.internal.Emulator.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code exec} and {@code run} of the emulator: the container targeted (an instance or an image),
 * scripted rules, and the built-in programs ({@code echo}, {@code env}, {@code cat}, {@code
 * getent}, {@code ping}, {@code sh -c} …) answered with the recorded wording. Thread-safe.
 */
final class ContainerCommands extends EmulatorCommands {

  ContainerCommands(RuntimeConfig config, InstanceStore store, FakeTimeSource time) {
    super(config, store, time);
  }

  // ---- exec / run -----------------------------------------------------------------------------

  /** The container an exec/run targets: an instance or an image. */
  private record Target(
      String key, FakeImage image, String hostname, List<String> options, String ip) {}

  private Target target(Out out, Request r, String spec) {
    if (spec.startsWith("instance://")) {
      String name = spec.substring("instance://".length());
      Optional<InstanceRecord> record =
          store.transact(
              state -> {
                purge(state);
                return Optional.ofNullable(state.instances.get(name)).filter(x -> !x.stopped());
              });
      if (record.isEmpty()) {
        out.fatal(255, "no instance found with name " + name);
        return null;
      }
      FakeImage image =
          store
              .transact(state -> image(state, record.get().image(), null))
              .orElse(FakeImage.of(record.get().image()));
      return new Target(
          name, image, record.get().hostname(), record.get().options(), record.get().ip());
    }
    Optional<FakeImage> image =
        store.transact(state -> image(state, spec, r.invocation().workingDirectory()));
    if (image.isEmpty()) {
      out.fatal(255, missingImage(spec));
      return null;
    }
    String hostname =
        r.parsed().last("hostname").or(() -> image.get().hostname()).orElse(config.hostName());
    return new Target(spec, image.get(), hostname, List.of(), null);
  }

  Outcome exec(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 2, Integer.MAX_VALUE);
    if (usage != null) {
      return usage;
    }
    Target target = target(out, r, r.positionals().get(0));
    if (target == null) {
      return out.outcome();
    }
    List<String> command = List.copyOf(r.positionals().subList(1, r.positionals().size()));
    for (RuntimeConfig.ExecRule rule : config.execRules()) {
      if (rule.matches(target.key(), command)) {
        time.sleep(rule.response().delay());
        return answer(rule.response());
      }
    }
    Map<String, String> env = containerEnvironment(target.image(), r, out);
    if (env == null) {
      return out.outcome();
    }
    return builtin(out, target, command, env);
  }

  Outcome run(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 1, Integer.MAX_VALUE);
    if (usage != null) {
      return usage;
    }
    Target target = target(out, r, r.positionals().get(0));
    if (target == null) {
      return out.outcome();
    }
    List<String> args = List.copyOf(r.positionals().subList(1, r.positionals().size()));
    for (RuntimeConfig.ExecRule rule : config.runRules()) {
      if (rule.matches(target.key(), args)) {
        time.sleep(rule.response().delay());
        return answer(rule.response());
      }
    }
    Map<String, String> env = containerEnvironment(target.image(), r, out);
    if (env == null) {
      return out.outcome();
    }
    Optional<FakeRunscript> behaviour = target.image().runscriptBehaviour();
    if (behaviour.isPresent()) {
      ScriptedResponse response = behaviour.get().run(args, Map.copyOf(env));
      time.sleep(response.delay());
      return answer(response);
    }
    out.stdout.append(expandLines(target.image().runscriptStdout(), args, env));
    return out.outcome();
  }

  private static final Pattern EXIT = Pattern.compile("exit\\s+(\\d+)\\s*;?");

  private Outcome builtin(Out out, Target target, List<String> command, Map<String, String> env) {
    String program = command.get(0);
    String base = program.substring(program.lastIndexOf('/') + 1);
    List<String> args = command.subList(1, command.size());
    switch (base) {
      case "true", ":" -> {
        return out.outcome();
      }
      case "false" -> {
        out.exit = 1;
        return out.outcome();
      }
      case "echo" -> {
        out.stdout.append(String.join(" ", args)).append('\n');
        return out.outcome();
      }
      case "hostname" -> {
        out.stdout.append(target.hostname()).append('\n');
        return out.outcome();
      }
      case "env", "printenv" -> {
        if (args.isEmpty()) {
          env.forEach((k, v) -> out.stdout.append(k).append('=').append(v).append('\n'));
        } else if (env.containsKey(args.get(0))) {
          out.stdout.append(env.get(args.get(0))).append('\n');
        } else {
          out.exit = 1;
        }
        return out.outcome();
      }
      case "getent" -> {
        return getent(out, target, args);
      }
      case "ping" -> {
        return ping(out, target, args);
      }
      case "cat" -> {
        for (String file : args) {
          Optional<String> content = containerFile(target, file);
          if (content.isEmpty()) {
            out.stderr
                .append("cat: can't open '")
                .append(file)
                .append("': No such file or directory\n");
            out.exit = 1;
          } else {
            out.stdout.append(content.get());
          }
        }
        return out.outcome();
      }
      case "sh", "bash" -> {
        if (args.size() >= 2 && args.get(0).equals("-c")) {
          String script = String.join(" ", args.subList(1, args.size())).strip();
          Matcher exit = EXIT.matcher(script);
          if (exit.matches()) {
            out.exit = Integer.parseInt(exit.group(1)) & 0xff;
            return out.outcome();
          }
          if (script.equals("true") || script.equals(":")) {
            return out.outcome();
          }
          if (script.startsWith("echo ") || script.equals("echo")) {
            String text = script.length() > 5 ? script.substring(5) : "";
            text = unquote(text);
            out.stdout.append(ScriptExpansion.expand(text, List.of(), env)).append('\n');
            return out.outcome();
          }
          String first = script.split("\\s+")[0];
          out.stderr.append(base).append(": ").append(first).append(": not found\n");
          out.exit = 127;
          return out.outcome();
        }
        return out.outcome();
      }
      default -> {
        return out.fatal(255, "\"" + program + "\": executable file not found in $PATH").outcome();
      }
    }
  }

  /**
   * A file inside the container: /etc/hostname, a bind-mounted host file, or the image's default
   * {@code /etc/hosts} ({@link #DEFAULT_HOSTS}) when none is bound there.
   */
  private Optional<String> containerFile(Target target, String file) {
    if (file.equals("/etc/hostname")) {
      return Optional.of(target.hostname() + "\n");
    }
    Optional<String> bound = boundFile(target, file);
    if (bound.isEmpty() && file.equals("/etc/hosts")) {
      return Optional.of(DEFAULT_HOSTS);
    }
    return bound;
  }

  /** The {@code /etc/hosts} of a container with none bound: localhost only (an assumption). */
  static final String DEFAULT_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n";

  /** A bind-mounted host file at {@code file}, read from the host. */
  private Optional<String> boundFile(Target target, String file) {
    List<String> options = target.options();
    for (int i = 0; i < options.size(); i++) {
      String o = options.get(i);
      String spec = null;
      if ((o.equals("--bind") || o.equals("-B")) && i + 1 < options.size()) {
        spec = options.get(i + 1);
      } else if (o.startsWith("--bind=")) {
        spec = o.substring(7);
      }
      if (spec == null) {
        continue;
      }
      for (String bind : spec.split(",")) {
        String[] parts = bind.split(":");
        String source = parts[0];
        String dest = parts.length > 1 ? parts[1] : parts[0];
        if (file.equals(dest)) {
          return store.readFile(source, 0).map(b -> new String(b, StandardCharsets.UTF_8));
        }
      }
    }
    return Optional.empty();
  }

  /** One line of a hosts file: an address and its names (canonical first). */
  private record HostsEntry(String address, List<String> names) {}

  /** The entries of the container's {@code /etc/hosts} (comments and blank lines skipped). */
  private List<HostsEntry> hostsEntries(Target target) {
    List<HostsEntry> entries = new ArrayList<>();
    for (String line : containerFile(target, "/etc/hosts").orElse("").split("\n")) {
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] fields = l.split("\\s+");
      if (fields.length >= 2) {
        entries.add(new HostsEntry(fields[0], List.of(fields).subList(1, fields.length)));
      }
    }
    return entries;
  }

  /** Resolves a name (or an address) through the container's hosts file, first entry wins. */
  private Optional<HostsEntry> resolve(Target target, String host) {
    for (HostsEntry e : hostsEntries(target)) {
      if (e.address().equals(host) || e.names().contains(host)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code getent hosts NAME...} through the hosts file bound at {@code /etc/hosts} (no DNS is
   * emulated): glibc's format, the address padded to 15 columns, then the entry's names; exit 2
   * when a key is not found.
   */
  private Outcome getent(Out out, Target target, List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("hosts")) {
      out.stderr.append("Unknown database: ").append(args.isEmpty() ? "" : args.get(0));
      out.stderr.append("\nTry `getent --help' or `getent --usage' for more information.\n");
      out.exit = 1;
      return out.outcome();
    }
    List<String> keys = args.subList(1, args.size());
    List<HostsEntry> found = new ArrayList<>();
    if (keys.isEmpty()) {
      found.addAll(hostsEntries(target));
    }
    for (String key : keys) {
      Optional<HostsEntry> e = resolve(target, key);
      if (e.isEmpty()) {
        out.exit = 2;
      } else {
        found.add(e.get());
      }
    }
    for (HostsEntry e : found) {
      out.stdout.append(
          String.format(
              java.util.Locale.ROOT, "%-15s %s%n", e.address(), String.join(" ", e.names())));
    }
    return out.outcome();
  }

  /**
   * busybox {@code ping [-c N] [-W S] HOST} in the recorded format (04-net2.txt): the name resolved
   * through the bound hosts file; replies come when the address is the container's loopback or its
   * own, or — from a bridge instance — the address of another running bridge instance. Otherwise
   * 100% packet loss, exit 1; an unknown name: {@code ping: bad address 'x'}, exit 1.
   */
  private Outcome ping(Out out, Target target, List<String> args) {
    int count = 1;
    String host = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.equals("-c") || a.equals("-W") || a.equals("-w")) && i + 1 < args.size()) {
        if (a.equals("-c")) {
          try {
            count = Math.max(1, Integer.parseInt(args.get(i + 1)));
          } catch (NumberFormatException e) {
            count = 1;
          }
        }
        i++;
      } else if (!a.startsWith("-")) {
        host = a;
      }
    }
    if (host == null) {
      out.stderr.append("BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n");
      out.exit = 1;
      return out.outcome();
    }
    String address =
        BridgeRange.parse(host) >= 0
            ? host
            : resolve(target, host).map(HostsEntry::address).orElse(null);
    if (address == null) {
      out.stderr.append("ping: bad address '").append(host).append("'\n");
      out.exit = 1;
      return out.outcome();
    }
    boolean reachable = address.startsWith("127.") || address.equals(target.ip());
    if (!reachable && target.ip() != null) {
      String a = address;
      reachable =
          store.transact(
              state -> {
                purge(state);
                return state.instances.values().stream()
                    .anyMatch(x -> !x.stopped() && a.equals(x.ip()));
              });
    }
    out.stdout.append("PING ").append(host).append(" (").append(address);
    out.stdout.append("): 56 data bytes\n");
    if (reachable) {
      for (int seq = 0; seq < count; seq++) {
        out.stdout.append("64 bytes from ").append(address).append(": seq=").append(seq);
        out.stdout.append(" ttl=64 time=0.100 ms\n");
      }
    }
    out.stdout.append("\n--- ").append(host).append(" ping statistics ---\n");
    out.stdout.append(count).append(" packets transmitted, ").append(reachable ? count : 0);
    out.stdout.append(" packets received, ").append(reachable ? "0" : "100");
    out.stdout.append("% packet loss\n");
    if (reachable) {
      out.stdout.append("round-trip min/avg/max = 0.100/0.100/0.100 ms\n");
    } else {
      out.exit = 1;
    }
    return out.outcome();
  }
}
