package io.github.scompose.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulated bridge network of SingularityCE 3.4.2 (recordings 03-net1.txt, 04-net2.txt): an
 * address of 10.22.0.0/16 per {@code --net} instance, the refusal of a requested address in use,
 * portmap bookkeeping, and name resolution through the file bound at {@code /etc/hosts}.
 */
class BridgeNetworkEmulationTest {

  private static final String IN_USE =
      "\u001b[31mFATAL:  \u001b[0m container creation failed: network setup failed: requested IP"
          + " address 10.22.0.2 is not available in range set 10.22.0.1-10.22.255.254\n";

  @TempDir Path temp;
  private FakeRuntime fake;

  @BeforeEach
  void create() {
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .image("/images/svc.sif")
            .build();
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private CommandResult start(String name, String... networkArgs) {
    List<String> argv = new ArrayList<>(List.of("instance", "start", "--net"));
    for (String a : networkArgs) {
      argv.add("--network-args");
      argv.add(a);
    }
    argv.add("/images/svc.sif");
    argv.add(name);
    return fake.execute(argv.toArray(String[]::new));
  }

  private String ip(String name) {
    return fake.instance(name).orElseThrow().ip().orElseThrow();
  }

  @Test
  void everyBridgeInstanceGetsItsOwnAddressNeverOneInUse() {
    assertEquals(0, start("a").exitCode());
    assertEquals(0, start("b").exitCode());
    assertEquals("10.22.0.2", ip("a"));
    assertEquals("10.22.0.3", ip("b"));
    // host networking: no address
    assertEquals(0, fake.execute("instance", "start", "/images/svc.sif", "h").exitCode());
    assertTrue(fake.instance("h").orElseThrow().ip().isEmpty());
    // a requested address counts as the last reservation; the next one follows it
    assertEquals(0, start("c", "IP=10.22.0.9").exitCode());
    assertEquals(0, start("d").exitCode());
    assertEquals("10.22.0.10", ip("d"));
    // a freed address is not handed out again at once (host-local goes round), and never twice
    assertEquals(0, fake.execute("instance", "stop", "a").exitCode());
    assertEquals(0, start("e").exitCode());
    assertEquals("10.22.0.11", ip("e"));
    assertEquals(0, start("f", "IP=10.22.0.2").exitCode(), "the freed address may be requested");
  }

  @Test
  void aRequestedAddressInUseIsRefusedWithTheRecordedError() {
    assertEquals(0, start("app", "IP=10.22.0.2").exitCode());
    CommandResult second = start("app2", "IP=10.22.0.2");
    assertEquals(255, second.exitCode());
    assertEquals(IN_USE, second.stderr());
    assertTrue(fake.instance("app2").isEmpty(), "nothing started");
    // an allocated one is in use just the same
    assertEquals(0, start("app3").exitCode());
    assertEquals("10.22.0.3", ip("app3"));
    assertEquals(255, start("app4", "IP=10.22.0.3").exitCode());
  }

  /**
   * As a real SingularityCE 3.4.2 does (checked on a binary built from source, as root): CNI's
   * portmap reserves nothing, so a second instance mapping the same host port starts too — keeping
   * host ports apart is the engine's job (its lease store). The host ports are kept on the
   * instance. A malformed argument is refused with the binary's words.
   */
  @Test
  void aHostPortMappedTwiceIsAcceptedAsTheBinaryDoesAndAMalformedOneIsRefused() {
    assertEquals(0, start("app", "portmap=8080:80/tcp").exitCode());
    assertEquals(0, start("app2", "portmap=8080:8080/tcp").exitCode(), "not reserved by CNI");
    assertEquals(0, start("multi", "portmap=9090:90/tcp,portmap=9091:91/tcp").exitCode());
    CommandResult bad = start("bad", "portmap=80");
    assertEquals(255, bad.exitCode());
    assertTrue(
        (bad.stdout() + bad.stderr())
            .contains(
                "badly formatted portmap argument '80', must be of form"
                    + " portmap=hostPort:containerPort/protocol"),
        bad.stdout() + bad.stderr());
  }

  @Test
  void namesResolveThroughTheBoundHostsFile() throws Exception {
    Path hosts = temp.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 localhost\n10.22.0.2 proj-db-1 db\n10.22.0.3 web\n");
    String bind = hosts + ":/etc/hosts:ro";
    for (String[] s : new String[][] {{"db", "10.22.0.2"}, {"web", "10.22.0.3"}}) {
      CommandResult r =
          fake.execute(
              "instance",
              "start",
              "--net",
              "--network-args",
              "IP=" + s[1],
              "--bind",
              bind,
              "/images/svc.sif",
              s[0]);
      assertEquals(0, r.exitCode(), r.stderr());
    }
    CommandResult getent = fake.execute("exec", "instance://web", "getent", "hosts", "db");
    assertEquals(0, getent.exitCode(), getent.stderr());
    assertEquals("10.22.0.2       proj-db-1 db\n", getent.stdout());
    assertEquals(2, fake.execute("exec", "instance://web", "getent", "hosts", "nosuch").exitCode());
    assertEquals(
        Files.readString(hosts),
        fake.execute("exec", "instance://web", "cat", "/etc/hosts").stdout());
    // the recorded busybox ping (04-net2.txt), resolved through the same file
    CommandResult ping = fake.execute("exec", "instance://web", "ping", "-c", "1", "-W", "2", "db");
    assertEquals(0, ping.exitCode());
    assertEquals(
        "PING db (10.22.0.2): 56 data bytes\n"
            + "64 bytes from 10.22.0.2: seq=0 ttl=64 time=0.100 ms\n\n"
            + "--- db ping statistics ---\n"
            + "1 packets transmitted, 1 packets received, 0% packet loss\n"
            + "round-trip min/avg/max = 0.100/0.100/0.100 ms\n",
        ping.stdout());
    CommandResult unknown = fake.execute("exec", "instance://web", "ping", "-c", "1", "nosuch");
    assertEquals(1, unknown.exitCode());
    assertEquals("ping: bad address 'nosuch'\n", unknown.stderr());
    // once db is stopped its address answers no more
    assertEquals(0, fake.execute("instance", "stop", "db").exitCode());
    CommandResult lost = fake.execute("exec", "instance://web", "ping", "-c", "1", "db");
    assertEquals(1, lost.exitCode());
    assertTrue(lost.stdout().contains("100% packet loss"), lost.stdout());
    // without a bound file: localhost only
    assertEquals(0, fake.execute("instance", "start", "/images/svc.sif", "plain").exitCode());
    assertEquals(
        "127.0.0.1       localhost\n",
        fake.execute("exec", "instance://plain", "getent", "hosts", "localhost").stdout());
  }

  @Test
  void processesSharingAStateDirectoryNeverGetTheSameAddress() throws Exception {
    try (FakeRuntime shared =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .stateDirectory(temp.resolve("state"))
            .image("/images/svc.sif")
            .build()) {
      Path binary = shared.installExecutable(temp.resolve("bin"), "singularity");
      int n = 6;
      ExecutorService pool = Executors.newFixedThreadPool(n);
      List<Future<CommandResult>> results = new ArrayList<>();
      try (Transport transport = LocalProcessTransport.create()) {
        for (int i = 0; i < n; i++) {
          String name = "i" + i;
          results.add(
              pool.submit(
                  () ->
                      transport.run(
                          CommandRequest.of(
                              List.of(
                                  binary.toString(),
                                  "instance",
                                  "start",
                                  "--net",
                                  "/images/svc.sif",
                                  name)))));
        }
        for (Future<CommandResult> f : results) {
          CommandResult r = f.get();
          assertEquals(0, r.exitCode(), r.stderr());
        }
      } finally {
        pool.shutdown();
      }
      Set<String> addresses =
          shared.instances().stream().map(i -> i.ip().orElseThrow()).collect(Collectors.toSet());
      assertEquals(n, addresses.size(), addresses.toString());
    }
  }
}
