package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.RuntimeChoice;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkMode;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.junit.SingularityTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The three entry points — the CLI's engine, {@code Compose.local()} and the JUnit extension's
 * engine — plan the same project identically on the fake runtime, because all three come from
 * {@link ComposeWiring}. The facts are injected as root (whatever the real effective uid), so the
 * plan is a bridge with leased addresses and a portmap; the three share one lease file.
 */
@SingularityTest(runtime = "fake")
class DefaultWiringPlansTest {

  private static final Path WORK;
  private static final Path LEASES;

  static {
    try {
      WORK = Files.createTempDirectory("scompose-wiring-");
      LEASES = WORK.resolve("state/leases.json");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Root, no fakeroot, the shared lease file: the same inputs for all three. */
  private static ComposeWiring.Builder rootInputs() {
    return ComposeWiring.builder()
        .euid(0)
        .uid(0)
        .userName("root")
        .subuidFile(WORK.resolve("no-subuid"))
        .leases(LeaseStore.open(LEASES));
  }

  /** The extension's wiring (its {@code composeWiring()} seam). */
  static ComposeWiring composeWiring() {
    return rootInputs().build();
  }

  /** The extension's fake: programmed as the CLI's is. */
  static FakeRuntime.Builder fakeRuntime() {
    return FakeProgram.program(FakeRuntime.builder());
  }

  @AfterEach
  void reset() {
    CliRuntime.factsOverride = UnaryOperator.identity();
    System.clearProperty(CliRuntime.FAKE_STATE_PROPERTY);
    System.clearProperty(ComposeWiring.LEASE_FILE_PROPERTY);
  }

  @AfterAll
  static void removeWork() throws IOException {
    FakeRuntime.builder().stateDirectory(WORK.resolve("cli-fake")).build().close();
    try (var walk = Files.walk(WORK)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void theCliComposeLocalAndTheExtensionPlanTheSameProjectAlike(Compose extensionEngine)
      throws Exception {
    Path dir = Files.createDirectories(WORK.resolve("project"));
    Files.writeString(
        dir.resolve("docker-compose.yml"),
        "name: wired\n"
            + "services:\n"
            + "  web:\n"
            + "    image: docker://nginx:1.27\n"
            + "    ports: [\"18080:80\"]\n"
            + "    depends_on: [db]\n"
            + "  db:\n"
            + "    image: docker://redis:7-alpine\n");
    ComposeProject project = ComposeLoader.defaults().load(dir.resolve("docker-compose.yml"));

    // another project holds the first address of the bridge: every plan must read the same store
    io.github.scompose.network.IpAddress held =
        io.github.scompose.network.IpAddress.parse("10.22.0.2");
    LeaseStore.open(LEASES)
        .lease(
            "other",
            io.github.scompose.network.AddressAllocator.builder()
                .cidr(io.github.scompose.network.Cidr.parse("10.22.0.0/16"))
                .putPreferred("other-x-1", held)
                .build(),
            java.util.List.of("other-x-1"),
            java.util.List.of(),
            lease -> true);

    // the CLI: its engine builder, facts made root through the test seam, leases by property
    System.setProperty(CliRuntime.FAKE_STATE_PROPERTY, WORK.resolve("cli-fake").toString());
    System.setProperty(ComposeWiring.LEASE_FILE_PROPERTY, LEASES.toString());
    CliRuntime.factsOverride = f -> f.withRoot(true);
    UpPlan cli;
    try (CliRuntime runtime = CliRuntime.connect("fake", new ScomposeCommand())) {
      cli = runtime.composeBuilder().build().plan(project);
    }

    // Compose.local(): the same wiring code, runtime fake from the variable, the testkit's SPI
    Compose local =
        rootInputs()
            .properties(p -> null)
            .environment(Map.of(RuntimeChoice.VARIABLE, "fake"))
            .build()
            .local();
    UpPlan fromLocal = local.plan(project);

    UpPlan fromExtension = extensionEngine.plan(project);

    assertEquals(NetworkMode.BRIDGE, cli.network().mode(), cli.network().reason());
    assertTrue(cli.network().reason().contains("running as root"), cli.network().reason());
    assertEquals(cli, fromExtension, "the CLI's plan and the extension's");
    assertEquals(cli, fromLocal, "the CLI's plan and Compose.local()'s");
    assertEquals(
        2,
        cli.network().instances().stream().map(i -> i.address().orElseThrow()).distinct().count(),
        "one address per instance");
    assertTrue(
        cli.network().instances().stream().noneMatch(i -> i.address().orElseThrow().equals(held)),
        "the three plans read the shared lease store: none takes the address another project"
            + " leased");
    assertEquals(
        0,
        LeaseStore.open(LEASES).leases().stream().filter(l -> l.project().equals("wired")).count(),
        "a plan takes no lease (up and create do)");
    assertEquals(
        cli.instances().stream().map(i -> i.start()).toList(),
        fromLocal.instances().stream().map(i -> i.start()).toList());
  }
}
