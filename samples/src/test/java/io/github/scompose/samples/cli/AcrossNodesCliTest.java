package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.nodes.NodesRecord;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import io.github.scompose.testkit.FakeRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One stack across two nodes through the CLI, each node an embedded fake runtime of its own ({@code
 * --runtime fake}, {@code --node-transport fake}): placement in the dry run, {@code up}, {@code
 * ps}, {@code logs}, the hosts file of each node, {@code down}, a node that does not answer, and
 * {@code --slurm} with scripted Slurm commands. The same code path as with SSH or srun, apart from
 * how each node's transport is made.
 */
class AcrossNodesCliTest {

  @TempDir Path temp;

  record Run(int code, String out, String err) {}

  static final String COMPOSE =
      """
      name: shop
      services:
        cache:
          image: docker://redis:7-alpine
          deploy:
            placement:
              constraints: ["node.labels.disk == ssd"]
        api:
          image: docker://python:3.12-slim
          depends_on: [cache]
          deploy:
            replicas: 2
        web:
          image: docker://nginx:1.27-alpine
          depends_on: [api]
          ports: ["80:80"]
          deploy:
            placement:
              constraints: ["node.hostname == n1"]
      """;

  @BeforeEach
  void setUp() throws Exception {
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, temp.resolve("fake").toString());
    Files.createDirectories(temp.resolve("proj"));
    Files.writeString(temp.resolve("proj/compose.yaml"), COMPOSE);
    Files.writeString(
        temp.resolve("labels.txt"),
        "# test nodes\nn1 address=10.0.0.1\nn2 disk=ssd address=10.0.0.2\n");
    AcrossNodesCli.environment = Map::of;
  }

  @AfterEach
  void tearDown() {
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    AcrossNodesCli.environment = System::getenv;
    AcrossNodesCli.nodeTransportOverrides = (n, t) -> t;
    AcrossNodesCli.slurmCommands = io.github.scompose.core.transport.LocalProcessTransport::create;
    for (String n : List.of("n1", "n2")) {
      Path state = temp.resolve("fake/nodes").resolve(n);
      if (Files.isDirectory(state)) {
        FakeRuntime.builder().stateDirectory(state).build().close();
      }
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        ScomposeCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  String[] on(String... args) {
    List<String> all = new ArrayList<>();
    all.addAll(
        List.of("--runtime", "fake", "--project-directory", temp.resolve("proj").toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  String[] up(String... more) {
    List<String> all = new ArrayList<>(List.of("up", "-d"));
    all.addAll(List.of("--nodes", "n1,n2", "--node-labels", temp.resolve("labels.txt").toString()));
    all.addAll(List.of(more));
    return on(all.toArray(String[]::new));
  }

  static final String PLACEMENT =
      """
      # placement
      NODE  INSTANCE      SERVICE
      n2    shop-cache-1  cache
      n1    shop-api-1    api
      n2    shop-api-2    api
      n1    shop-web-1    web
      """;

  @Test
  void dryRunShowsTheNodeOfEveryInstanceAndEachNodesInvocations() {
    Run r = run(up("--dry-run"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith(PLACEMENT), r.out());
    assertTrue(r.out().contains("# node n1\n"), r.out());
    assertTrue(r.out().contains("# node n2\n"), r.out());
    String n1 = r.out().substring(r.out().indexOf("# node n1"), r.out().indexOf("# node n2"));
    assertTrue(n1.contains("shop-web-1") && n1.contains("shop-api-1"), n1);
    assertFalse(n1.contains("shop-cache-1 ") || n1.contains("shop-api-2"), n1);
    assertTrue(r.err().contains("nodes: n1, n2 (from --nodes), reached by fake"), r.err());
    assertFalse(Files.exists(NodesRecord.file(temp.resolve("proj"))), "a dry run records nothing");
  }

  @Test
  void upPsLogsDownAcrossTwoNodes() throws Exception {
    Run up = run(up());
    assertEquals(0, up.code(), up.err());
    assertTrue(up.err().contains("node n2: running"), up.err());

    Run ps = run(on("ps"));
    assertEquals(0, ps.code(), ps.err());
    List<String> lines = ps.out().lines().toList();
    assertTrue(lines.get(0).startsWith("NAME"), ps.out());
    assertTrue(lines.get(0).contains("NODE"), ps.out());
    Map<String, String> nodeOf = new HashMap<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] w = l.split("\\s+");
      nodeOf.put(w[0], w[1]);
      assertTrue(l.contains("running"), l);
    }
    assertEquals(
        Map.of("shop-cache-1", "n2", "shop-api-1", "n1", "shop-api-2", "n2", "shop-web-1", "n1"),
        nodeOf);
    Run json = run(on("ps", "--format", "json"));
    assertTrue(
        json.out().contains("\"node\":\"n2\"") || json.out().contains("\"node\": \"n2\""),
        json.out());

    // each node's hosts file: its own instances on 127.0.0.1, the other node's on its address
    String hostsN1 =
        Files.readString(temp.resolve("proj/.scompose-nodes/n1/etc.hosts"), StandardCharsets.UTF_8);
    assertTrue(hostsN1.contains("127.0.0.1\tshop-api-1 api\n"), hostsN1);
    assertTrue(hostsN1.contains("10.0.0.2\tshop-cache-1\n"), hostsN1);
    assertTrue(hostsN1.contains("10.0.0.2\tcache\n"), hostsN1);
    String hostsN2 =
        Files.readString(temp.resolve("proj/.scompose-nodes/n2/etc.hosts"), StandardCharsets.UTF_8);
    assertTrue(hostsN2.contains("10.0.0.1\tshop-web-1\n"), hostsN2);
    assertTrue(hostsN2.contains("10.0.0.1\tweb\n"), hostsN2);
    assertTrue(hostsN2.contains("127.0.0.1\tapi\n") || hostsN2.contains("shop-api-2"), hostsN2);

    Run logs = run(on("logs"));
    assertEquals(0, logs.code(), logs.err());
    assertTrue(logs.out().contains("shop-cache-1@n2 | "), logs.out());
    assertTrue(logs.out().contains("Ready to accept connections"), logs.out());
    assertTrue(logs.out().contains("shop-web-1@n1   | "), logs.out());

    // up again: the recorded nodes, instances kept; other nodes are refused; one-node commands too
    Run again = run(on("up", "-d"));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("(from the project's record), reached by fake"), again.err());
    Run elsewhere = run(on("up", "-d", "--nodes", "n3=10.0.0.3,n4=10.0.0.4"));
    assertEquals(1, elsewhere.code(), elsewhere.err());
    assertTrue(
        elsewhere.err().contains("is up across n1, n2; run 'scompose down'"), elsewhere.err());
    Run exec = run(on("exec", "web", "true"));
    assertEquals(1, exec.code(), exec.err());
    assertTrue(exec.err().contains("is up across nodes (n1, n2)"), exec.err());

    // logs -f: one follower per node, each line with its node (polled here, no thread)
    List<String> followed = new CopyOnWriteArrayList<>();
    try (NodeSelection.NodeConnections c =
        new NodeSelection.NodeConnections("fake", Optional.empty(), new ScomposeCommand())) {
      var followers =
          io.github.scompose.core.nodes.ComposeAcrossNodes.create(c)
              .followLogs(
                  temp.resolve("proj"),
                  io.github.scompose.core.compose.LogOptions.builder().build(),
                  (node, l) -> followed.add(l.instance() + "@" + node + " | " + l.text()));
      assertTrue(followers.ok(), followers.describeFailures());
      assertEquals(List.of("n1", "n2"), List.copyOf(followers.results().keySet()));
      followers.results().values().forEach(f -> f.pollOnce());
      followers.results().values().forEach(f -> f.close());
    }
    assertTrue(
        followed.stream().anyMatch(l -> l.startsWith("shop-cache-1@n2 | ") && l.contains("Ready")),
        followed.toString());
    assertTrue(
        followed.stream().anyMatch(l -> l.startsWith("shop-web-1@n1 | ")), followed.toString());

    Run down = run(on("down"));
    assertEquals(0, down.code(), down.err());
    assertTrue(down.err().contains("node n1: stopped"), down.err());
    assertTrue(down.err().contains("node n2: stopped"), down.err());
    assertFalse(Files.exists(NodesRecord.file(temp.resolve("proj"))));
    Run after = run(on("ps"));
    assertEquals(0, after.code(), after.err());
    assertEquals(1, after.out().lines().count(), after.out());
  }

  @Test
  void aNodeThatDoesNotAnswerIsReportedAndDownTriesItAgain() {
    assertEquals(0, run(up()).code());
    AcrossNodesCli.nodeTransportOverrides = (n, t) -> n.equals("n2") ? dead(n) : t;

    Run ps = run(on("ps"));
    assertEquals(1, ps.code(), ps.err());
    assertTrue(ps.out().contains("shop-web-1"), "the node that answers is listed: " + ps.out());
    assertTrue(ps.err().contains("scompose: node n2: "), ps.err());
    assertTrue(ps.err().contains("ssh: connect to host n2 port 22: Connection refused"), ps.err());

    Run down = run(on("down"));
    assertEquals(1, down.code(), down.err());
    assertTrue(down.err().contains("node n1: stopped"), down.err());
    assertTrue(down.err().contains("scompose: node n2: "), down.err());
    assertTrue(Files.exists(NodesRecord.file(temp.resolve("proj"))), "n2 is still recorded");

    AcrossNodesCli.nodeTransportOverrides = (n, t) -> t;
    Run again = run(on("down"));
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("node n2: stopped"), again.err());
    assertFalse(again.err().contains("node n1"), "n1 was taken down already: " + again.err());
    assertFalse(Files.exists(NodesRecord.file(temp.resolve("proj"))));
  }

  @Test
  void noNodeForAServiceIsAUsageError() {
    Run r =
        run(
            on(
                "up",
                "-d",
                "--nodes",
                "n1=10.0.0.1,n2=10.0.0.2",
                "--node-transport",
                "fake")); // no labels: nothing has disk=ssd
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().contains("service cache: no node satisfies node.labels.disk == ssd"), r.err());
    assertFalse(Files.exists(NodesRecord.file(temp.resolve("proj"))));
  }

  @Test
  void aMissingLabelFileIsNamedInWords() {
    Path missing = temp.resolve("no-such-labels.txt");
    Run r =
        run(
            on(
                "up",
                "-d",
                "--nodes",
                "n1=10.0.0.1,n2=10.0.0.2",
                "--node-transport",
                "fake",
                "--node-labels",
                missing.toString()));
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().contains("cannot read the node label file " + missing + ": no such file"), r.err());
    assertFalse(Files.exists(NodesRecord.file(temp.resolve("proj"))));
  }

  @Test
  void slurmAllocationIsAskedForRecordedAndReleasedByDown() {
    List<List<String>> ran = new CopyOnWriteArrayList<>();
    AcrossNodesCli.slurmCommands = () -> slurm(ran);
    Run up =
        run(
            on(
                "up",
                "-d",
                "--slurm",
                "-N 2 -t 30",
                "--node-transport",
                "fake",
                "--node-labels",
                temp.resolve("labels.txt").toString()));
    assertEquals(0, up.code(), up.err());
    assertEquals(
        List.of("salloc", "--no-shell", "-J", "scompose-shop", "-N", "2", "-t", "30"), ran.get(0));
    assertTrue(up.err().contains("Slurm granted job 77: n1, n2"), up.err());
    assertEquals("77", NodesRecord.read(temp.resolve("proj")).orElseThrow().jobId().orElseThrow());

    Run down = run(on("down"));
    assertEquals(0, down.code(), down.err());
    assertEquals(List.of("scancel", "77"), ran.get(ran.size() - 1));
    assertTrue(down.err().contains("released Slurm job 77"), down.err());
  }

  /** Slurm's commands as they answer for a granted 2-node job 77 on n1, n2 (10.0.0.1, .2). */
  static Transport slurm(List<List<String>> ran) {
    return new Scripted(
        argv -> {
          ran.add(argv);
          return switch (argv.get(0)) {
            case "salloc" -> result(argv, 0, "", "salloc: Granted job allocation 77\n");
            case "squeue" -> result(argv, 0, "n[1-2]\n", "");
            case "scontrol" -> result(argv, 0, "n1\nn2\n", "");
            case "scancel" -> result(argv, 0, "", "");
            default -> result(argv, 127, "", argv.get(0) + ": not found");
          };
        });
  }

  static CommandResult result(List<String> argv, int code, String out, String err) {
    return CommandResult.builder()
        .argv(argv)
        .exitCode(code)
        .stdout(out)
        .stderr(err)
        .duration(Duration.ZERO)
        .build();
  }

  /** A node that no longer answers, as ssh reports a refused connection. */
  static Transport dead(String node) {
    return new Scripted(
        argv -> {
          throw new TransportException(
              "ssh: connect to host " + node + " port 22: Connection refused");
        });
  }

  /** A transport answering by a function of the argv. */
  record Scripted(java.util.function.Function<List<String>, CommandResult> answer)
      implements io.github.scompose.core.transport.LocalFileTransport {
    @Override
    public CommandResult run(CommandRequest request) {
      return answer.apply(request.argv());
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      throw new TransportException("not scripted");
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      answer.apply(List.of("cat", path));
      return Optional.empty();
    }

    @Override
    public String describe() {
      return "scripted";
    }

    @Override
    public void close() {}
  }

  static final BiFunction<String, Transport, Transport> IDENTITY = (n, t) -> t;
}
