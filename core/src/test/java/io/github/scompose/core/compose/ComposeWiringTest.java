package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.errors.BinaryNotFoundException;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.LeaseStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one default wiring: runtime choice, facts of the process, leases, the embedded runtime. */
class ComposeWiringTest {

  private static final Dialect CE342 = ReferenceToolUpPlanTest.V342.dialect();
  private static final Dialect SINGULARITY_2 =
      SingularityBinary.of("singularity", BinaryVersion.parse("singularity version 2.6.1"))
          .dialect();

  @TempDir Path dir;

  private static Function<String, String> props(Map<String, String> p) {
    return p::get;
  }

  // ---- runtime choice

  @Test
  void parallelLimitIsTheExplicitOneThenTheVariableThenSixteen() {
    Map<String, String> env = Map.of(ComposeWiring.PARALLEL_LIMIT_VARIABLE, " 5 ");
    assertEquals(16, Compose.DEFAULT_PARALLELISM);
    assertEquals(
        16, ComposeWiring.builder().environment(Map.of()).build().parallelLimit(), "default");
    assertEquals(5, ComposeWiring.builder().environment(env).build().parallelLimit());
    assertEquals(
        3, ComposeWiring.builder().environment(env).parallelLimit(3).build().parallelLimit());
    assertEquals(
        3,
        ComposeWiring.builder()
            .environment(Map.of(ComposeWiring.PARALLEL_LIMIT_VARIABLE, "many"))
            .parallelLimit(3)
            .build()
            .parallelLimit(),
        "the explicit limit wins over an invalid variable");
    assertEquals(
        16,
        ComposeWiring.builder()
            .environment(Map.of(ComposeWiring.PARALLEL_LIMIT_VARIABLE, " "))
            .build()
            .parallelLimit(),
        "blank counts as unset");
    assertThrows(IllegalArgumentException.class, () -> ComposeWiring.builder().parallelLimit(0));
  }

  @Test
  void anInvalidParallelLimitVariableIsAnErrorNamingIt() {
    for (String bad : List.of("0", "-3", "many", "2.5")) {
      ComposeWiring w =
          ComposeWiring.builder()
              .environment(Map.of(ComposeWiring.PARALLEL_LIMIT_VARIABLE, bad))
              .noLeases()
              .build();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> w.engine(stubClient(), HostPorts.system()));
      assertEquals(
          "COMPOSE_PARALLEL_LIMIT=\""
              + bad
              + "\" is not a whole number of at least 1 (how many instances start or stop at"
              + " once)",
          e.getMessage());
    }
  }

  @Test
  void theExplicitChoiceWinsOverThePropertyAndTheVariable() {
    RuntimeSelection s =
        RuntimeChoice.select(
            "fake",
            "--runtime",
            props(Map.of(RuntimeChoice.PROPERTY, "real")),
            Map.of(RuntimeChoice.VARIABLE, "real"));
    assertEquals(RuntimeChoice.FAKE, s.choice());
    assertEquals("fake (from --runtime)", s.describe());
  }

  @Test
  void thePropertyWinsOverTheVariable() {
    RuntimeSelection s =
        RuntimeChoice.select(
            null,
            "--runtime",
            props(Map.of(RuntimeChoice.PROPERTY, " Real ")),
            Map.of(RuntimeChoice.VARIABLE, "fake"));
    assertEquals(RuntimeChoice.REAL, s.choice());
    assertEquals("system property scompose.runtime", s.source());
  }

  @Test
  void theVariableDecidesWhenNothingElseIsGivenAndBlankCountsAsUnset() {
    RuntimeSelection s =
        RuntimeChoice.select(
            "  ",
            "--runtime",
            props(Map.of(RuntimeChoice.PROPERTY, "")),
            Map.of(RuntimeChoice.VARIABLE, "FAKE"));
    assertEquals(RuntimeChoice.FAKE, s.choice());
    assertEquals("fake (from environment variable SCOMPOSE_RUNTIME)", s.describe());
  }

  @Test
  void nothingGivenIsAuto() {
    RuntimeSelection s = RuntimeChoice.select(null, "--runtime", props(Map.of()), Map.of());
    assertEquals(RuntimeChoice.AUTO, s.choice());
    assertEquals("auto (default)", s.describe());
  }

  @Test
  void anInvalidValueNamesWhereItCameFromAndTheAllowedValues() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RuntimeChoice.select(
                    null, "--runtime", props(Map.of()), Map.of(RuntimeChoice.VARIABLE, "docker")));
    assertEquals(
        "runtime \"docker\" from environment variable SCOMPOSE_RUNTIME is not one of auto, real,"
            + " fake",
        e.getMessage());
    // an invalid value at a lower level does not matter when a higher one decides
    assertEquals(
        RuntimeChoice.REAL,
        RuntimeChoice.select(
                "real", "--runtime", props(Map.of()), Map.of(RuntimeChoice.VARIABLE, "docker"))
            .choice());
  }

  @Test
  void theWiringReadsItsOwnPropertiesAndEnvironment() {
    ComposeWiring w =
        ComposeWiring.builder()
            .properties(props(Map.of(RuntimeChoice.PROPERTY, "fake")))
            .environment(Map.of(RuntimeChoice.VARIABLE, "real"))
            .build();
    assertEquals(RuntimeChoice.FAKE, w.selectRuntime(null, "x").choice());
    assertEquals(RuntimeChoice.REAL, w.selectRuntime("real", "x").choice());
  }

  // ---- facts

  @Test
  void effectiveUidZeroIsRoot() throws Exception {
    Path subuid = Files.writeString(dir.resolve("subuid"), "");
    assertTrue(RuntimeFacts.detect(CE342, 0, 1000, "alice", subuid).root());
    assertFalse(RuntimeFacts.detect(CE342, 1000, 0, "alice", subuid).root());
  }

  @Test
  void aSubuidLineForTheUserNameOrUidAllowsFakerootWhenTheDialectHasIt() throws Exception {
    Path subuid =
        Files.writeString(
            dir.resolve("subuid"), "bob:100000:65536\nalice:165536:65536\n1001:231072:65536\n");
    RuntimeFacts alice = RuntimeFacts.detect(CE342, 1000, 1000, "alice", subuid);
    assertTrue(alice.fakerootAllowed());
    assertFalse(alice.root());
    assertTrue(RuntimeFacts.detect(CE342, 1001, 1001, "carol", subuid).fakerootAllowed());
    assertFalse(RuntimeFacts.detect(CE342, 1002, 1002, "dave", subuid).fakerootAllowed());
    assertFalse(SINGULARITY_2.supportsFakeroot());
    assertFalse(
        RuntimeFacts.detect(SINGULARITY_2, 1000, 1000, "alice", subuid).fakerootAllowed(),
        "a dialect without --fakeroot");
  }

  @Test
  void aMissingFileAZeroCountOrAMalformedLineAllowsNoFakeroot() throws Exception {
    assertFalse(
        RuntimeFacts.detect(CE342, 1000, 1000, "alice", dir.resolve("absent")).fakerootAllowed());
    Path subuid =
        Files.writeString(
            dir.resolve("subuid"), "alice:100000:0\nalice:x:65536\nalice:1:2:3\n# alice:1:65536\n");
    assertFalse(RuntimeFacts.detect(CE342, 1000, 1000, "alice", subuid).fakerootAllowed());
    assertFalse(
        RuntimeFacts.detect(CE342, 1000, 1000, "alice", dir).fakerootAllowed(), "a directory");
  }

  @Test
  void theWiringsFactsComeFromItsInputs() throws Exception {
    Path subuid = Files.writeString(dir.resolve("subuid"), "alice:100000:65536\n");
    ComposeWiring w =
        ComposeWiring.builder().euid(0).uid(1000).userName("alice").subuidFile(subuid).build();
    RuntimeFacts f = w.facts(CE342);
    assertTrue(f.root());
    assertTrue(f.fakerootAllowed());
    assertSame(CE342, f.dialect());
    ComposeWiring user =
        ComposeWiring.builder()
            .euid(1000)
            .uid(1000)
            .properties(props(Map.of("user.name", "bob")))
            .subuidFile(subuid)
            .build();
    assertFalse(user.facts(CE342).root());
    assertFalse(user.facts(CE342).fakerootAllowed(), "bob has no line");
  }

  // ---- leases

  @Test
  void leasesAreOnByDefaultAtTheXdgStateHomeOrThePropertysFile() {
    ComposeWiring xdg =
        ComposeWiring.builder()
            .properties(props(Map.of("user.home", "/home/alice")))
            .environment(Map.of("XDG_STATE_HOME", dir.toString()))
            .build();
    assertEquals(
        dir.resolve("scompose/leases.json"), xdg.leases().orElseThrow().file(), "XDG_STATE_HOME");
    ComposeWiring home =
        ComposeWiring.builder()
            .properties(props(Map.of("user.home", "/home/alice")))
            .environment(Map.of())
            .build();
    assertEquals(
        Path.of("/home/alice/.local/state/scompose/leases.json"),
        home.leases().orElseThrow().file());
    Map<String, String> p = new HashMap<>();
    p.put("user.home", "/home/alice");
    p.put(ComposeWiring.LEASE_FILE_PROPERTY, dir.resolve("mine.json").toString());
    ComposeWiring property =
        ComposeWiring.builder()
            .properties(props(p))
            .environment(Map.of("XDG_STATE_HOME", "/elsewhere"))
            .build();
    assertEquals(dir.resolve("mine.json"), property.leases().orElseThrow().file());
    assertTrue(ComposeWiring.builder().noLeases().build().leases().isEmpty());
    LeaseStore given = LeaseStore.open(dir.resolve("given.json"));
    assertSame(given, ComposeWiring.builder().leases(given).build().leases().orElseThrow());
  }

  // ---- engines

  private static SingularityClient stubClient() {
    return SingularityClient.builder()
        .transport(new RecordingTransport())
        .binary(ReferenceToolUpPlanTest.V342)
        .hostIdentity(HostIdentity.of("/home/u", "host", "u"))
        .build();
  }

  @Test
  void anEnginePlansWithTheWiringsFacts() {
    ComposeWiring w =
        ComposeWiring.builder()
            .euid(0)
            .uid(0)
            .userName("root")
            .subuidFile(dir.resolve("none"))
            .leases(LeaseStore.open(dir.resolve("leases.json")))
            .build();
    Compose c = w.engine(stubClient(), HostPorts.system()).build();
    assertTrue(c.facts().root());
    assertFalse(c.facts().fakerootAllowed());
  }

  @Test
  void fakeChosenWithoutTheTestkitSaysToAddItOrInstallABinary() {
    ComposeWiring w =
        ComposeWiring.builder()
            .properties(props(Map.of(RuntimeChoice.PROPERTY, "fake")))
            .environment(Map.of())
            .build();
    IllegalStateException e = assertThrows(IllegalStateException.class, w::local);
    assertEquals(
        "runtime fake (from system property scompose.runtime) needs the embedded fake runtime of"
            + " scompose-testkit, which is not on the class path: add the dependency"
            + " io.github.scompose:scompose-testkit, or choose the runtime real with apptainer or"
            + " singularity installed",
        e.getMessage());
  }

  @Test
  void autoWithoutABinaryOrTheTestkitListsBothInThePlacesTried() {
    ComposeWiring w =
        ComposeWiring.builder()
            .environment(
                Map.of(
                    RuntimeChoice.VARIABLE,
                    "auto",
                    "APPTAINER_BINARY",
                    dir.resolve("no-apptainer").toString(),
                    "SINGULARITY_BINARY",
                    dir.resolve("no-singularity").toString()))
            .properties(props(Map.of()))
            .build();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        onPath("apptainer").isEmpty() && onPath("singularity").isEmpty(),
        "a real binary is on PATH here");
    BinaryNotFoundException e = assertThrows(BinaryNotFoundException.class, w::local);
    List<String> tried = e.triedPlaces();
    assertTrue(
        tried
            .get(tried.size() - 1)
            .startsWith("the embedded fake runtime: scompose-testkit is not"),
        tried.toString());
  }

  @Test
  void fakeChosenUsesTheEmbeddedRuntimeWithTheSameFactsAndLeases() {
    SingularityClient client = stubClient();
    LeaseStore leases = LeaseStore.open(dir.resolve("leases.json"));
    EmbeddedRuntimeProvider provider =
        new EmbeddedRuntimeProvider() {
          @Override
          public SingularityClient client() {
            return client;
          }

          @Override
          public HostPorts hostPorts() {
            return HostPorts.system();
          }

          @Override
          public String describe() {
            return "stub";
          }
        };
    ComposeWiring w =
        ComposeWiring.builder()
            .euid(0)
            .uid(0)
            .userName("root")
            .subuidFile(dir.resolve("none"))
            .leases(leases)
            .embeddedRuntime(provider)
            .properties(props(Map.of()))
            .environment(Map.of(RuntimeChoice.VARIABLE, "fake"))
            .build();
    Compose c = w.local();
    assertSame(client, c.client());
    assertEquals(w.facts(CE342), c.facts());
  }

  private static java.util.Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return java.util.Optional.empty();
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }
}
