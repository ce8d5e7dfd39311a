package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.scompose.samples.cli.JarProcesses.Result;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on a real (small, local) Slurm cluster: the one {@code .ci/fake-cluster start} makes as
 * root — two compute nodes {@code node1} and {@code node2}, each a network + UTS namespace on the
 * bridge {@code 10.77.0.0/24} with its own sshd and slurmd, munged and slurmctld on the host. The
 * test runs only when that script has written its {@code cluster.env} (system property {@code
 * scompose.cluster.env}, else {@code $SCOMPOSE_FAKE_CLUSTER_DIR/cluster.env}, else {@code
 * /run/scompose-fake-cluster/cluster.env}); otherwise it is skipped with a notice. {@code .ci/run}
 * starts and stops the cluster.
 *
 * <p>The runtime on every node is the testkit's out-of-process emulator (dialect SingularityCE
 * 3.4.2), installed here per node under {@code <cluster>/nodes/<node>/runtime}: the script's {@code
 * node-bin/singularity} runs the one of the host name it runs on, so every node keeps its own
 * instance registry, log files (under the cluster's shared home, per host name, as a real binary on
 * an NFS home does) and instance processes (harmless {@code sleep}s, in the node's namespaces).
 *
 * <p>{@link #nodesAnswerWithTheirOwnRuntime} checks the cluster itself (ssh and srun reach each
 * node, each node keeps its own instances, an instance started by a job step outlives the step, the
 * hosts file bound into an instance resolves another node's name). The other tests run the CLI jar
 * across both nodes, over SSH ({@code up --nodes}), inside an allocation ({@code SLURM_JOB_ID}) and
 * with one made by {@code up --slurm}: placement, cross-node names through the hosts files, {@code
 * ps}, {@code logs}, {@code down}, and a node that stops answering. They fail when the jar has no
 * {@code up --nodes}.
 *
 * <p>Only this suite: {@code .ci/fake-cluster start && mvn -B verify -pl samples -am
 * -Dit.test=ClusterIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dinvoker.skip=true}.
 */
class ClusterIT {

  /** How long a wait-until waits before it fails. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  static final Pattern GRANTED = Pattern.compile("Granted job allocation (\\d+)");

  /** The cluster's facts ({@code cluster.env}); null when it does not run. */
  static Properties cluster;

  static List<String> nodes;

  /** Each node's emulator (and the head's, so that a version probe on this host answers). */
  static final Map<String, FakeRuntime> runtimes = new LinkedHashMap<>();

  static Path images;

  static Boolean jarHasNodes;

  @TempDir Path temp;

  /** Prefix of every project (and so instance) name of this test, e.g. {@code c3f9c}. */
  String prefix;

  final Map<String, String> childEnvironment = new LinkedHashMap<>();

  @BeforeAll
  static void cluster() throws Exception {
    Path env = clusterEnvFile();
    assumeTrue(
        Files.isRegularFile(env),
        "no fake cluster runs ("
            + env
            + " is missing; start one as root with .ci/fake-cluster start): ClusterIT skipped");
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(env)) {
      p.load(in);
    }
    cluster = p;
    nodes = List.of(fact("SCOMPOSE_FAKE_CLUSTER_NODES").split(","));
    assumeTrue(
        Files.isReadable(Path.of(fact("SCOMPOSE_FAKE_CLUSTER_SSH_KEY"))),
        "the fake cluster's ssh key is not readable by this user (the cluster belongs to root):"
            + " ClusterIT skipped");
    images = Files.createDirectories(dir().resolve("images"));
    for (String image : List.of("db", "app", "web")) {
      Files.writeString(images.resolve(image + ".sif"), "emulated image\n");
    }
    List<String> hosts = new ArrayList<>(nodes);
    hosts.add(AcceptanceIT.command("uname", "-n"));
    for (String host : hosts) {
      Path runtime = dir().resolve("nodes").resolve(host).resolve("runtime");
      FakeRuntime.Builder b =
          FakeRuntime.builder()
              .dialect(FakeDialect.SINGULARITY_CE_3_4)
              .stateDirectory(runtime.resolve("state"))
              .homeDirectory(fact("SCOMPOSE_FAKE_CLUSTER_HOME"))
              .hostName(host)
              .userName("root")
              .anyImageExists();
      for (String image : List.of("db", "app", "web")) {
        b.image(
            FakeImage.builder()
                .path(images.resolve(image + ".sif").toString())
                .addStartscriptStdout(image + ": startscript on " + host)
                .build());
      }
      FakeRuntime fake = b.build();
      fake.installExecutable(runtime.resolve("bin"), "singularity");
      runtimes.put(host, fake);
    }
  }

  /** Ends every emulated instance still running and removes the runtimes. */
  @AfterAll
  static void closeRuntimes() throws IOException {
    for (Map.Entry<String, FakeRuntime> e : runtimes.entrySet()) {
      e.getValue().close();
      Path host = dir().resolve("nodes").resolve(e.getKey());
      deleteTree(host.resolve("runtime"));
      try (var left = Files.list(host)) {
        if (left.findAny().isEmpty()) {
          Files.delete(host); // the head's folder, made only for its runtime
        }
      }
    }
    runtimes.clear();
    if (images != null) {
      deleteTree(images);
    }
  }

  @BeforeEach
  void setUp() throws IOException {
    prefix = "c" + Long.toHexString(new Random().nextLong() & 0xfffffL);
    childEnvironment.put("HOME", fact("SCOMPOSE_FAKE_CLUSTER_HOME"));
    childEnvironment.put(
        "XDG_STATE_HOME", Files.createDirectories(temp.resolve("xdg-state")).toString());
    childEnvironment.put("SLURM_CONF", fact("SLURM_CONF"));
    childEnvironment.put("SINGULARITY_BINARY", singularity());
    childEnvironment.put("SCOMPOSE_SSH_CONFIG", fact("SCOMPOSE_FAKE_CLUSTER_SSH_CONFIG"));
    childEnvironment.put(
        "PATH", fact("SCOMPOSE_FAKE_CLUSTER_CLIENT_BIN") + ":" + System.getenv("PATH"));
  }

  // ---- the cluster itself
  // ------------------------------------------------------------------------

  /**
   * Every node answers over SSH and through srun under its own name, keeps its own instances (one
   * started on node1 is listed there only), an instance started by a job step of an allocation
   * outlives the step (proctrack/linuxproc), and an instance resolves another node's name through
   * the hosts file bound at {@code /etc/hosts}.
   */
  @Test
  void nodesAnswerWithTheirOwnRuntime() throws Exception {
    String first = nodes.get(0);
    String second = nodes.get(1);
    for (String node : nodes) {
      Result r = ssh(node, "uname", "-n");
      assertEquals(node, r.stdout().strip(), "ssh " + node + " uname -n\n" + r.output());
      Result s = run(List.of("srun", "-N", "1", "-w", node, "uname", "-n"));
      assertEquals(node, s.stdout().strip(), "srun -w " + node + " uname -n\n" + s.output());
    }
    Path hosts = temp.resolve("etc.hosts");
    Files.writeString(
        hosts, "127.0.0.1\tlocalhost\n" + address(second) + "\tdb\n" + address(first) + "\tapp\n");
    String app = prefix + "-app-1";
    Result started =
        ssh(
            first,
            singularity(),
            "instance",
            "start",
            "--bind",
            hosts + ":/etc/hosts",
            image("app"),
            app);
    assertEquals(0, started.exitCode(), started.output());
    assertEquals(List.of(app), listedOn(first), "listed on " + first);
    assertEquals(List.of(), listedOn(second), "listed on " + second);
    Result resolved =
        ssh(first, singularity(), "exec", "instance://" + app, "getent", "hosts", "db");
    assertEquals(0, resolved.exitCode(), resolved.output());
    assertEquals(
        List.of(address(second), "db"),
        List.of(resolved.stdout().strip().split("\\s+")),
        "getent hosts db in " + app + " on " + first);

    String job = salloc();
    try {
      String db = prefix + "-db-1";
      Result step =
          run(
              List.of(
                  "srun",
                  "--overlap",
                  "--jobid=" + job,
                  "-w",
                  second,
                  "-N1",
                  "-n1",
                  "--quiet",
                  "--",
                  singularity(),
                  "instance",
                  "start",
                  image("db"),
                  db));
      assertEquals(0, step.exitCode(), step.output());
      assertEquals(List.of(db), listedOn(second), "listed on " + second + " after the step ended");
      long pid = runtimes.get(second).instances().get(0).pid();
      assertTrue(JarProcesses.running(pid), db + "'s process " + pid + " ended with its step");
      Result log =
          run(
              List.of(
                  "srun",
                  "--overlap",
                  "--jobid=" + job,
                  "-w",
                  second,
                  "-N1",
                  "-n1",
                  "--quiet",
                  "--",
                  "cat",
                  runtimes.get(second).logOutPath(db)));
      assertEquals("db: startscript on " + second, log.stdout().strip(), log.output());
      Result stop = ssh(second, singularity(), "instance", "stop", db);
      assertEquals(0, stop.exitCode(), stop.output());
    } finally {
      scancel(job);
    }
    Result stop = ssh(first, singularity(), "instance", "stop", app);
    assertEquals(0, stop.exitCode(), stop.output());
    for (String node : nodes) {
      assertEquals(List.of(), listedOn(node), "listed on " + node + " after stop");
    }
  }

  // ---- the CLI across nodes
  // ------------------------------------------------------------------------

  /**
   * {@code up --nodes node1,node2} over SSH: the placement the dry run shows is where the instances
   * run (constraints, then fewest instances, ties in node order); every service resolves the others
   * through its node's hosts file (its own node's services at 127.0.0.1, the other node's at that
   * node's address); {@code ps} and {@code logs} show the node of each instance; {@code down}
   * leaves nothing running on either node.
   */
  @Test
  void stackAcrossTwoNodesOverSsh() throws Exception {
    requireJarWithNodes();
    Path dir = project();
    String nodeList = String.join(",", nodes);
    Result dry = cli(dir, "up", "--dry-run", "--nodes", nodeList);
    assertEquals(0, dry.exitCode(), dry.output());
    Map<String, String> planned = placement(dry.stdout());
    Map<String, String> expected = expectedPlacement();
    assertEquals(expected, planned, "up --dry-run's placement\n" + dry.output());

    Result up = cli(dir, "up", "-d", "--nodes", nodeList);
    try {
      assertEquals(0, up.exitCode(), up.output());
      assertRunsAsPlaced(expected);
      assertNamesResolveAcrossNodes(expected);
      assertPsAndLogs(dir, expected);
    } finally {
      Result down = cli(dir, "down");
      assertEquals(0, down.exitCode(), down.output());
    }
    for (String node : nodes) {
      assertEquals(List.of(), listedOn(node), "listed on " + node + " after down");
    }
  }

  /**
   * Inside an allocation ({@code SLURM_JOB_ID}, {@code SLURM_JOB_NODELIST} as salloc sets them) the
   * nodes come from Slurm and every command reaches its node through {@code srun --overlap}; {@code
   * down} leaves the allocation (not this project's) alone. {@code up --slurm "-N 2"} asks for its
   * own allocation and {@code down} releases it.
   */
  @Test
  void stackInsideASlurmAllocation() throws Exception {
    requireJarWithNodes();
    Map<String, String> expected = expectedPlacement();
    String job = salloc();
    try {
      Path dir = project();
      childEnvironment.put("SLURM_JOB_ID", job);
      childEnvironment.put("SLURM_JOB_NODELIST", nodeList(job));
      Result up = cli(dir, "up", "-d");
      try {
        assertEquals(0, up.exitCode(), up.output());
        assertRunsAsPlaced(expected);
        assertNamesResolveAcrossNodes(expected);
        assertPsAndLogs(dir, expected);
      } finally {
        Result down = cli(dir, "down");
        assertEquals(0, down.exitCode(), down.output());
      }
      for (String node : nodes) {
        assertEquals(List.of(), listedOn(node), "listed on " + node + " after down");
      }
      assertTrue(jobRuns(job), "down released allocation " + job + ", which it did not make");
    } finally {
      scancel(job);
      childEnvironment.remove("SLURM_JOB_ID");
      childEnvironment.remove("SLURM_JOB_NODELIST");
    }

    prefix = prefix + "s";
    expected = expectedPlacement();
    Path dir = project();
    Result up = cli(dir, "up", "-d", "--slurm", "-N 2");
    String own = null;
    try {
      assertEquals(0, up.exitCode(), up.output());
      own = jobNamed("scompose-" + prefix);
      assertTrue(
          up.stderr().contains("job " + own),
          "up --slurm names the job it got (" + own + ")\n" + up.output());
      assertTrue(jobRuns(own), "up --slurm: job " + own + " does not run\n" + up.output());
      assertRunsAsPlaced(expected);
    } finally {
      Result down = cli(dir, "down");
      assertEquals(0, down.exitCode(), down.output());
      if (own != null) {
        String job2 = own;
        waitUntil(() -> !jobRuns(job2), "down released job " + own);
        assertTrue(down.stderr().contains(own), "down names the job it released\n" + down.output());
      }
    }
  }

  /**
   * A node that stops answering (its sshd and slurmd stopped) is reported by {@code ps} and {@code
   * down} (exit 1, naming the node) while the other node is still handled; once it answers again a
   * second {@code down} stops what was left there.
   */
  @Test
  void killedNodeIsReported() throws Exception {
    requireJarWithNodes();
    Path dir = project();
    Map<String, String> expected = expectedPlacement();
    String victim = nodes.get(1);
    String survivor = nodes.get(0);
    Result up = cli(dir, "up", "-d", "--nodes", String.join(",", nodes));
    assertEquals(0, up.exitCode(), up.output());
    try {
      assertRunsAsPlaced(expected);
      clusterScript("kill", victim);

      Result ps = cli(dir, "ps");
      assertEquals(1, ps.exitCode(), "ps with " + victim + " down\n" + ps.output());
      assertTrue(
          ps.stderr().contains("node " + victim), "ps names the node that failed\n" + ps.output());
      for (Map.Entry<String, String> e : expected.entrySet()) {
        if (e.getValue().equals(survivor)) {
          assertTrue(
              ps.stdout().contains(e.getKey()),
              "ps still lists " + e.getKey() + "\n" + ps.output());
        }
      }

      Result down = cli(dir, "down");
      assertEquals(1, down.exitCode(), "down with " + victim + " down\n" + down.output());
      assertTrue(
          down.stderr().contains("node " + victim),
          "down names the node that failed\n" + down.output());
      assertEquals(List.of(), listedOn(survivor), "down stopped what runs on " + survivor);
      assertFalse(listedOn(victim).isEmpty(), victim + "'s instances cannot have been stopped");
    } finally {
      clusterScript("revive", victim);
    }
    Result again = cli(dir, "down");
    assertEquals(0, again.exitCode(), "down once " + victim + " answers again\n" + again.output());
    for (String node : nodes) {
      assertEquals(List.of(), listedOn(node), "listed on " + node + " after the second down");
    }
  }

  // ---- the stack and its checks
  // --------------------------------------------------------------------

  /**
   * db pinned to the second node, app to the first; web (after app) goes where fewest instances
   * are, the first node on a tie.
   */
  Path project() throws IOException {
    Path dir = Files.createDirectories(temp.resolve(prefix));
    Files.writeString(
        dir.resolve("compose.yaml"),
        """
        name: %s
        services:
          db:
            image: %s
            deploy:
              placement:
                constraints: ["node.hostname == %s"]
          app:
            image: %s
            depends_on: [db]
            deploy:
              placement:
                constraints: ["node.hostname == %s"]
          web:
            image: %s
            depends_on: [app]
        """
            .formatted(
                prefix, image("db"), nodes.get(1), image("app"), nodes.get(0), image("web")));
    return dir;
  }

  /** Instance → node, as {@link #project} places it. */
  Map<String, String> expectedPlacement() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(prefix + "-db-1", nodes.get(1));
    m.put(prefix + "-app-1", nodes.get(0));
    m.put(prefix + "-web-1", nodes.get(0));
    return m;
  }

  /** Every node's own registry lists exactly the instances placed there. */
  void assertRunsAsPlaced(Map<String, String> placement) throws Exception {
    for (String node : nodes) {
      List<String> want =
          placement.entrySet().stream()
              .filter(e -> e.getValue().equals(node))
              .map(Map.Entry::getKey)
              .sorted()
              .toList();
      assertEquals(want, listedOn(node), "instances on " + node);
    }
  }

  /**
   * In every instance, every service name resolves through the bound hosts file: to 127.0.0.1 on
   * its own node, to the other node's address across.
   */
  void assertNamesResolveAcrossNodes(Map<String, String> placement) throws Exception {
    List<String> services = placement.keySet().stream().map(ClusterIT::service).toList();
    for (Map.Entry<String, String> from : placement.entrySet()) {
      List<String> command =
          new ArrayList<>(
              List.of(singularity(), "exec", "instance://" + from.getKey(), "getent", "hosts"));
      command.addAll(services);
      Result r = ssh(from.getValue(), command.toArray(String[]::new));
      assertEquals(0, r.exitCode(), "getent hosts in " + from.getKey() + "\n" + r.output());
      Map<String, String> resolved = new LinkedHashMap<>();
      for (String line : r.stdout().lines().toList()) {
        String[] cols = line.strip().split("\\s+");
        for (int k = 1; k < cols.length; k++) {
          resolved.putIfAbsent(cols[k], cols[0]);
        }
      }
      for (Map.Entry<String, String> to : placement.entrySet()) {
        String service = service(to.getKey());
        String want = from.getValue().equals(to.getValue()) ? "127.0.0.1" : address(to.getValue());
        assertEquals(
            want,
            resolved.get(service),
            service + " seen from " + from.getKey() + " on " + from.getValue() + "\n" + r.output());
      }
    }
  }

  /** {@code ps} lists every instance with its node; {@code logs} prefixes lines with both. */
  void assertPsAndLogs(Path dir, Map<String, String> placement) throws Exception {
    Result ps = cli(dir, "ps");
    assertEquals(0, ps.exitCode(), ps.output());
    Map<String, String> listed = new LinkedHashMap<>();
    for (String line : ps.stdout().lines().toList()) {
      String[] cols = line.strip().split("\\s+");
      if (cols.length >= 2 && cols[0].startsWith(prefix)) {
        listed.put(cols[0], cols[1]);
      }
    }
    assertEquals(placement, new LinkedHashMap<>(listed), "ps: NAME NODE …\n" + ps.output());

    Result logs = cli(dir, "logs");
    assertEquals(0, logs.exitCode(), logs.output());
    for (Map.Entry<String, String> e : placement.entrySet()) {
      Pattern line =
          Pattern.compile(
              "(?m)^"
                  + Pattern.quote(e.getKey() + "@" + e.getValue())
                  + "\\s*\\|\\s*"
                  + Pattern.quote(service(e.getKey()) + ": startscript on " + e.getValue())
                  + "$");
      assertTrue(
          line.matcher(logs.stdout()).find(),
          "logs: "
              + e.getKey()
              + "'s startscript line from "
              + e.getValue()
              + "\n"
              + logs.output());
    }
  }

  /**
   * Instance → node from the dry run's placement table: the {@code NODE INSTANCE SERVICE} rows
   * before the first {@code # node NODE} section (a header row and a {@code # placement} title are
   * skipped).
   */
  static Map<String, String> placement(String dryRun) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : dryRun.lines().toList()) {
      if (line.startsWith("# node")) {
        break;
      }
      String[] cols = line.strip().split("\\s+");
      if (!line.startsWith("#") && cols.length == 3 && !cols[0].equals("NODE")) {
        m.put(cols[1], cols[0]);
      }
    }
    return m;
  }

  static String service(String instance) {
    String rest = instance.substring(0, instance.lastIndexOf('-'));
    return rest.substring(rest.lastIndexOf('-') + 1);
  }

  // ---- processes
  // ----------------------------------------------------------------------------------

  Result cli(Path dir, String... args) throws Exception {
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of("-f", dir.resolve("compose.yaml").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(
                JarProcesses.javaJar(JarProcesses.QUICK_START, argv.toArray(String[]::new)))
            .directory(dir.toFile());
    return finish(pb);
  }

  Result ssh(String node, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of(clientSsh(), "-n", node));
    argv.addAll(List.of(command));
    return run(argv);
  }

  Result run(List<String> argv) throws Exception {
    return finish(new ProcessBuilder(argv));
  }

  Result finish(ProcessBuilder pb) throws Exception {
    pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.startsWith("SCOMPOSE_"));
    pb.environment().putAll(childEnvironment);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return JarProcesses.finish(pb, temp);
  }

  /** Names of this test's instances that {@code node}'s own registry lists, sorted. */
  List<String> listedOn(String node) {
    return runtimes.get(node).instances().stream()
        .filter(i -> !i.stopping())
        .map(FakeInstance::name)
        .filter(n -> n.startsWith(prefix))
        .sorted()
        .toList();
  }

  String salloc() throws Exception {
    Result r = run(List.of("salloc", "--no-shell", "-N", Integer.toString(nodes.size())));
    Matcher m = GRANTED.matcher(r.stderr());
    assertTrue(r.exitCode() == 0 && m.find(), "salloc --no-shell\n" + r.output());
    return m.group(1);
  }

  String nodeList(String job) throws Exception {
    Result r = run(List.of("squeue", "-h", "-j", job, "-o", "%N"));
    assertEquals(0, r.exitCode(), r.output());
    return r.stdout().strip();
  }

  boolean jobRuns(String job) {
    try {
      Result r = run(List.of("squeue", "-h", "-j", job, "-t", "PD,R", "-o", "%i"));
      return r.stdout().strip().equals(job);
    } catch (Exception e) {
      throw new AssertionError("squeue -j " + job + " failed", e);
    }
  }

  void scancel(String job) throws Exception {
    run(List.of("scancel", job));
  }

  /** The one pending or running job named {@code name} (salloc -J). */
  String jobNamed(String name) throws Exception {
    Result r = run(List.of("squeue", "-h", "-n", name, "-t", "PD,R", "-o", "%i"));
    List<String> jobs = r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertEquals(1, jobs.size(), "running jobs named " + name + "\n" + r.output());
    return jobs.get(0);
  }

  void clusterScript(String... args) throws Exception {
    List<String> argv = new ArrayList<>(List.of(fact("SCOMPOSE_FAKE_CLUSTER_SCRIPT")));
    argv.addAll(List.of(args));
    Result r = run(argv);
    assertEquals(0, r.exitCode(), String.join(" ", argv) + "\n" + r.output());
  }

  void requireJarWithNodes() throws Exception {
    JarProcesses.jar();
    if (jarHasNodes == null) {
      ProcessBuilder pb =
          new ProcessBuilder(JarProcesses.javaJar(JarProcesses.QUICK_START, "up", "--help"));
      jarHasNodes = finish(pb).stdout().contains("--nodes");
    }
    assertTrue(jarHasNodes, "this scompose.jar's `up --help` names no `--nodes`");
  }

  static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + PATIENCE.toSeconds() + " s: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(200); // polling interval of a wait-until, not a delay
    }
  }

  // ---- the cluster's facts
  // --------------------------------------------------------------------------

  static Path clusterEnvFile() {
    String property = System.getProperty("scompose.cluster.env");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String dir = System.getenv("SCOMPOSE_FAKE_CLUSTER_DIR");
    return Path.of(dir != null && !dir.isBlank() ? dir : "/run/scompose-fake-cluster")
        .resolve("cluster.env");
  }

  /** A fact of {@code cluster.env}; fails naming it when the script did not write it. */
  static String fact(String key) {
    String value = cluster.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new AssertionError(
          clusterEnvFile()
              + " has no "
              + key
              + ": written by another version of .ci/fake-cluster?");
    }
    return value;
  }

  static Path dir() {
    return Path.of(fact("SCOMPOSE_FAKE_CLUSTER_DIR"));
  }

  static String address(String node) {
    return fact("SCOMPOSE_FAKE_CLUSTER_ADDR_" + node);
  }

  static String singularity() {
    return Path.of(fact("SCOMPOSE_FAKE_CLUSTER_NODE_BIN"), "singularity").toString();
  }

  static String clientSsh() {
    return Path.of(fact("SCOMPOSE_FAKE_CLUSTER_CLIENT_BIN"), "ssh").toString();
  }

  static String image(String name) {
    return images.resolve(name + ".sif").toString();
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p :
          paths.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
