package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.InstanceStatus;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: on the in-JVM fake of SingularityCE 3.4.2, whose transport's files are this machine's
 * as a local one's are, {@code up}, {@code ps} and {@code down} read the emulated instance records
 * instead of running {@code instance list}, as they do on a real 3.4.2; the records the emulator
 * keeps are always what its {@code instance list} prints. Counted from the argv the fake receives
 * through a transport that is itself a {@link LocalFileTransport} (the {@code WatchingTransport} of
 * {@code BinaryCallsOnFakeRuntimeTest} is not one: there every listing runs the binary).
 */
class RecordListingOnFakeRuntimeTest {

  @TempDir Path dir;
  final VirtualTimeSource time = VirtualTimeSource.create();
  final Clock clock = new TimeSourceClock(time);
  final ExecutorService pool = Executors.newCachedThreadPool();
  FakeRuntime fake;
  Counting transport;
  SingularityClient client;

  /** The fake's own transport, with every command it runs recorded. */
  static final class Counting implements LocalFileTransport {
    final LocalFileTransport fake;
    final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());

    Counting(LocalFileTransport fake) {
      this.fake = fake;
    }

    @Override
    public CommandResult run(CommandRequest request) {
      commands.add(request.argv());
      return fake.run(request);
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      commands.add(request.argv());
      return fake.start(request, listener);
    }

    @Override
    public Optional<List<String>> listDirectory(String path) {
      return fake.listDirectory(path);
    }

    @Override
    public Optional<byte[]> readFile(String path, long offset) {
      return fake.readFile(path, offset);
    }

    @Override
    public Optional<FileStamp> stat(String path) {
      return fake.stat(path);
    }

    @Override
    public void writeFile(String path, byte[] content, Set<PosixFilePermission> permissions) {
      fake.writeFile(path, content, permissions);
    }

    @Override
    public String describe() {
      return fake.describe();
    }

    @Override
    public void close() {
      fake.close();
    }

    long count(String... words) {
      List<String> w = List.of(words);
      synchronized (commands) {
        return commands.stream().filter(c -> Collections.indexOfSubList(c, w) >= 0).count();
      }
    }
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    if (fake != null) {
      fake.close();
    }
  }

  Compose engine(FakeRuntime.Builder builder) {
    fake =
        builder.dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().timeSource(time).build();
    transport = new Counting((LocalFileTransport) fake.transport());
    client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                SingularityBinary.of(
                    "singularity", BinaryVersion.parse("singularity version " + fake.version())))
            .hostIdentity(
                HostIdentity.of(fake.homeDirectory(), "fakehost", System.getProperty("user.name")))
            .clock(clock)
            .sleeper(time::sleep)
            .build();
    return Compose.builder()
        .client(client)
        .executor(pool)
        .clock(clock)
        .sleeper(time::sleep)
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(
            NetworkPlanner.create().withHostPorts(new ComposeOnFakeRuntimeTest.AnyPort()))
        .build();
  }

  /**
   * A user who has started an instance here before: the record folder exists, as on a real host.
   */
  void usedBefore() {
    fake.execute("instance", "start", "/images/x.sif", "earlier");
    fake.execute("instance", "stop", "earlier");
    transport.commands.clear();
  }

  @Test
  void upPsAndDownOfThreeInstancesMakeNoListingCall() {
    Compose compose = engine(FakeRuntime.builder());
    usedBefore();
    compose.up(
        ComposeOnFakeRuntimeTest.project(
            "shop",
            dir,
            ComposeOnFakeRuntimeTest.svc("a"),
            ComposeOnFakeRuntimeTest.svc("b"),
            ComposeOnFakeRuntimeTest.svc("c")));
    assertEquals(3, transport.count("instance", "start"), transport.commands.toString());
    assertEquals(0, transport.count("instance", "list"), transport.commands.toString());
    assertEquals(3, transport.commands.size(), transport.commands.toString());

    List<InstanceStatus> ps = compose.ps(dir);
    assertEquals(
        fake.instances().stream().map(i -> i.name() + " " + i.pid()).sorted().toList(),
        ps.stream().map(s -> s.name() + " " + s.pid().orElse(-1)).sorted().toList());
    assertTrue(ps.stream().allMatch(s -> s.state() == InstanceStatus.State.RUNNING), ps.toString());

    transport.commands.clear();
    assertEquals(3, compose.down(dir).size());
    assertEquals(3, transport.count("instance", "stop"), transport.commands.toString());
    assertEquals(0, transport.count("instance", "list"), transport.commands.toString());
    assertEquals(List.of(), fake.instances());
  }

  @Test
  void aUserWithoutRecordFolderYetHasTheFirstListingFromTheBinary() {
    // a fresh host: no ~/.singularity/instances/sing/<host>/<user> yet, so nothing says the path
    // is the binary's: the plan's listing runs it; the confirmation reads the records
    Compose compose = engine(FakeRuntime.builder());
    compose.up(
        ComposeOnFakeRuntimeTest.project(
            "shop", dir, ComposeOnFakeRuntimeTest.svc("a"), ComposeOnFakeRuntimeTest.svc("b")));
    assertEquals(2, transport.count("instance", "start"), transport.commands.toString());
    assertEquals(1, transport.count("instance", "list"), transport.commands.toString());
    compose.down(dir);
  }

  /**
   * What the fake's {@code instance list --json} prints, parsed by a client whose transport is not
   * a {@link LocalFileTransport} (so it always runs the binary).
   */
  List<InstanceInfo> binaryListing() {
    return SingularityClient.builder()
        .transport(new WatchingTransport(fake.transport()))
        .binary(client.binary())
        .build()
        .list();
  }

  @Test
  void theRecordsAreWhatTheFakesListingPrintsInEveryState() {
    engine(
        FakeRuntime.builder()
            .stillListedAfterKill(Duration.ofSeconds(2))
            .crashAfter("dies", Duration.ofSeconds(5)));
    usedBefore();
    for (String name : List.of("web", "db", "dies", "killed")) {
      fake.execute("instance", "start", "/images/" + name + ".sif", name);
    }
    assertEquals(binaryListing(), client.list());
    assertEquals(4, client.list().size());
    fake.execute("instance", "stop", "--force", "killed");
    assertEquals(binaryListing(), client.list(), "a killed instance lingers with its record");
    assertEquals(4, client.list().size());
    time.advance(Duration.ofSeconds(3));
    assertEquals(binaryListing(), client.list());
    assertEquals(3, client.list().size());
    time.advance(Duration.ofSeconds(3));
    assertEquals(binaryListing(), client.list(), "a dead instance's record is gone");
    assertEquals(List.of("db", "web"), client.list().stream().map(InstanceInfo::name).toList());
    fake.crash("web");
    assertEquals(binaryListing(), client.list());
    assertEquals(List.of("db"), client.list().stream().map(InstanceInfo::name).toList());
    transport.commands.clear();
    client.list();
    assertEquals(List.of(), transport.commands, "read from the records");
  }

  @Test
  void aRecordHasThe342Shape() {
    engine(FakeRuntime.builder());
    fake.execute("instance", "start", "/images/svc.sif", "web1");
    FakeInstance web1 = fake.instance("web1").orElseThrow();
    String record =
        new String(
            transport
                .readFile(
                    fake.homeDirectory()
                        + "/.singularity/instances/sing/fakehost/"
                        + System.getProperty("user.name")
                        + "/web1/web1.json",
                    0)
                .orElseThrow(),
            StandardCharsets.UTF_8);
    // recorded from 3.4.2: {"pid":26449,"ppid":26448,"name":"web1","user":"root",
    // "image":"/images/svc.sif","config":"…"} (and, from its source, "userns")
    assertTrue(
        record.matches(
            "\\{\"pid\":"
                + web1.pid()
                + ",\"ppid\":\\d+,\"name\":\"web1\",\"user\":\"[^\"]+\",\"image\":\"/images/svc.sif\","
                + "\"config\":\"[A-Za-z0-9+/=]+\",\"userns\":false\\}"),
        record);
  }
}
