package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Compose#plan} has no side effects (issue 13): a dry run through the API leaves no address
 * lease, no lease owner file and no state file; {@code up} takes the very addresses the plan shows,
 * and {@code down} gives them back.
 */
class PlanWithoutSideEffectsTest extends EngineFixture<RecordingTransport> {

  PlanWithoutSideEffectsTest() {
    super(new RecordingTransport(), false);
  }

  private LeaseStore leases() {
    return LeaseStore.open(dir.resolve("leases").resolve("leases.json"));
  }

  private Compose bridgeEngine(LeaseStore leases) {
    return engine()
        .facts(
            RuntimeFacts.builder()
                .dialect(ReferenceToolUpPlanTest.V342.dialect())
                .root(true)
                .build())
        .leases(leases)
        .networkPlanner(NetworkPlanner.create().withHostPorts(new ComposeEngineTest.NoPorts()))
        .build();
  }

  @Test
  void planTakesNoLeaseAndWritesNoState() throws Exception {
    LeaseStore leases = leases();
    Compose compose = bridgeEngine(leases);
    UpPlan plan = compose.plan(project(svc("web"), svc("db", "web")));

    assertEquals(2, plan.network().instances().size());
    assertTrue(plan.network().instances().stream().allMatch(i -> i.address().isPresent()));
    assertEquals(List.of(), leases.leases(), "a plan holds no lease");
    assertFalse(Files.exists(plan.stateDirectory().resolve("state.json")), "no state file");
    assertFalse(Files.exists(plan.stateDirectory().resolve("instances.json")), "no records");
    Path owners = leases.file().resolveSibling(leases.file().getFileName() + ".projects");
    assertTrue(
        !Files.exists(owners) || Files.list(owners).findAny().isEmpty(), "no lease owner file");
    assertTrue(runtime.running.isEmpty(), "nothing started");
  }

  @Test
  void upLeasesTheAddressesThePlanShowsAndDownReleasesThem() {
    LeaseStore leases = leases();
    Compose compose = bridgeEngine(leases);
    UpPlan plan = compose.plan(project(svc("web"), svc("db", "web")));
    List<String> planned =
        plan.network().instances().stream().map(i -> i.address().orElseThrow().toString()).toList();

    try (ComposeStack stack = compose.up(plan)) {
      List<String> leased =
          leases.leases().stream().map(l -> l.address().toString()).sorted().toList();
      assertEquals(planned.stream().sorted().toList(), leased);
      assertEquals(
          planned.stream().sorted().toList(),
          stack.ps().stream().map(s -> s.ip().orElseThrow()).sorted().toList());
    }
    assertEquals(List.of(), leases.leases());
  }

  @Test
  void aSecondPlanOfAnotherProjectAvoidsTheFirstProjectsLeases() throws Exception {
    LeaseStore leases = leases();
    Compose compose = bridgeEngine(leases);
    Path other = Files.createDirectory(dir.resolve("other"));
    try (ComposeStack first = compose.up(project(svc("web")))) {
      UpPlan second = compose.plan(project(svc("web")).withName("other").withDirectory(other));
      String taken = first.ps().get(0).ip().orElseThrow();
      assertFalse(
          second.network().instances().stream()
              .anyMatch(i -> i.address().orElseThrow().toString().equals(taken)),
          "the plan of another project skips " + taken);
      assertEquals(1, leases.leases().size(), "planning the second project leased nothing");
    }
  }

  @Test
  void anUpOfAPlanThatAnotherProjectOutdatedPlansAgain() throws Exception {
    LeaseStore leases = leases();
    Compose compose = bridgeEngine(leases);
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    UpPlan planA = compose.plan(project(svc("web")).withName("a").withDirectory(a));
    UpPlan planB = compose.plan(project(svc("web")).withName("b").withDirectory(b));
    // planned at once: neither leased, so both chose the same first free address
    assertEquals(
        planA.network().instances().get(0).address(), planB.network().instances().get(0).address());

    try (ComposeStack first = compose.up(planA);
        ComposeStack second = compose.up(planB)) {
      String ipA = first.ps().get(0).ip().orElseThrow();
      String ipB = second.ps().get(0).ip().orElseThrow();
      assertFalse(ipA.equals(ipB), "b was planned again: " + ipA + " " + ipB);
      assertEquals(
          List.of(ipA, ipB).stream().sorted().toList(),
          leases.leases().stream().map(l -> l.address().toString()).sorted().toList());
    }
    assertEquals(List.of(), leases.leases());
  }
}
