package io.github.scompose.core.internal.client;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The long options of each subcommand of SingularityCE 3.4.2, recorded from its {@code --help}
 * output on a real binary (each subcommand's flag list; {@code --help} itself left out).
 * Subcommands are named by their words: {@code instance start}, {@code exec}, {@code run}, {@code
 * build}, {@code pull}, {@code instance stop}, {@code instance list}, {@code inspect}.
 */
final class RecordedFlags {

  private RecordedFlags() {}

  private static final Set<String> ACTION_COMMON =
      Set.of(
          "--add-caps",
          "--allow-setuid",
          "--apply-cgroups",
          "--bind",
          "--cleanenv",
          "--contain",
          "--containall",
          "--disable-cache",
          "--dns",
          "--docker-login",
          "--drop-caps",
          "--fakeroot",
          "--home",
          "--hostname",
          "--ipc",
          "--keep-privs",
          "--net",
          "--network",
          "--network-args",
          "--no-home",
          "--no-init",
          "--no-nv",
          "--no-privs",
          "--nohttps",
          "--nv",
          "--overlay",
          "--passphrase",
          "--pem-path",
          "--pid",
          "--scratch",
          "--security",
          "--userns",
          "--uts",
          "--workdir",
          "--writable",
          "--writable-tmpfs");

  /** exec and run add these to the common action flags (recorded help-exec, help-run). */
  private static final Set<String> EXEC_RUN_EXTRA =
      Set.of("--app", "--nonet", "--pwd", "--vm", "--vm-cpu", "--vm-err", "--vm-ip", "--vm-ram");

  /** instance start adds {@code --boot} and has neither {@code --pwd} nor {@code --app}. */
  private static final Set<String> INSTANCE_START_EXTRA = Set.of("--boot");

  private static final Map<String, Set<String>> V3_4_2 =
      Map.of(
          "instance start", union(ACTION_COMMON, INSTANCE_START_EXTRA),
          "exec", union(ACTION_COMMON, EXEC_RUN_EXTRA),
          "run", union(ACTION_COMMON, EXEC_RUN_EXTRA),
          "build",
              Set.of(
                  "--arch",
                  "--builder",
                  "--remote",
                  "--detached",
                  "--disable-cache",
                  "--docker-login",
                  "--encrypt",
                  "--fakeroot",
                  "--force",
                  "--json",
                  "--library",
                  "--no-cleanup",
                  "--nohttps",
                  "--notest",
                  "--passphrase",
                  "--pem-path",
                  "--sandbox",
                  "--section",
                  "--tmpdir",
                  "--update"),
          "pull",
              Set.of(
                  "--arch",
                  "--dir",
                  "--disable-cache",
                  "--docker-login",
                  "--force",
                  "--library",
                  "--no-cleanup",
                  "--nohttps"),
          "instance stop", Set.of("--all", "--force", "--signal", "--timeout", "--user"),
          "instance list", Set.of("--json", "--user"),
          "inspect",
              Set.of(
                  "--app",
                  "--deffile",
                  "--environment",
                  "--json",
                  "--labels",
                  "--list-apps",
                  "--runscript",
                  "--test"));

  /** The recorded long options of {@code subcommand} of SingularityCE 3.4.x, when recorded. */
  static Optional<Set<String>> singularityCe34(String subcommand) {
    return Optional.ofNullable(V3_4_2.get(subcommand));
  }

  /** Whether any recorded subcommand of SingularityCE 3.4.2 has {@code longOption}. */
  static boolean anySingularityCe34(String longOption) {
    return V3_4_2.values().stream().anyMatch(f -> f.contains(longOption));
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }
}
