package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.HostPorts;
import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compose profiles in plans: {@link PlanOptions#profiles()}, the engine's default ({@link
 * Compose.Builder#profiles}) and {@code COMPOSE_PROFILES} through {@link ComposeWiring}.
 */
class ProfilesPlanTest {

  @TempDir Path dir;

  static ServiceSpec profiled(ServiceSpec s, String... profiles) {
    return s.withProfiles(profiles);
  }

  /** web (always), db (always), debug (profile debug, depends on db), seed (profile tools). */
  ComposeProject project() {
    return UpPlannerTest.project(
            UpPlannerTest.service("db"),
            UpPlannerTest.service("web", "db"),
            profiled(UpPlannerTest.service("debug", "db"), "debug"),
            profiled(UpPlannerTest.service("seed", "db"), "tools"))
        .withDirectory(dir);
  }

  static List<String> names(UpPlan plan) {
    return plan.instances().stream().map(PlannedInstance::name).toList();
  }

  static List<String> planned(ComposeProject p, PlanOptions options) {
    return names(UpPlannerTest.plan(p, UpPlannerTest.ROOTLESS, options));
  }

  @Test
  void withoutProfilesOnlyServicesWithoutProfilesArePlanned() {
    assertEquals(List.of("shop-db-1", "shop-web-1"), planned(project(), PlanOptions.defaults()));
  }

  @Test
  void anActiveProfileAddsItsServices() {
    PlanOptions debug = PlanOptions.builder().addProfiles("debug").build();
    assertEquals(List.of("shop-db-1", "shop-web-1", "shop-debug-1"), planned(project(), debug));
    PlanOptions all = PlanOptions.builder().addProfiles("*").build();
    assertEquals(
        List.of("shop-db-1", "shop-web-1", "shop-debug-1", "shop-seed-1"), planned(project(), all));
  }

  @Test
  void aServiceNamedExplicitlyIsPlannedWhateverItsProfiles() {
    PlanOptions seed = PlanOptions.builder().addServices("seed").build();
    assertEquals(List.of("shop-db-1", "shop-seed-1"), planned(project(), seed));
  }

  @Test
  void aDependencyOnAnInactiveServiceIsAnErrorNamingBoth() {
    ComposeProject p =
        UpPlannerTest.project(
                profiled(UpPlannerTest.service("db"), "data"), UpPlannerTest.service("web", "db"))
            .withDirectory(dir);
    ComposeException e =
        assertThrows(ComposeException.class, () -> planned(p, PlanOptions.defaults()));
    assertEquals(
        dir
            + ": services.web.depends_on: service \"web\" depends on service \"db\", which is not"
            + " enabled: its profiles (data) are not active (active: none)",
        e.problems().get(0).toString());
  }

  @Test
  void composeProfilesIsTheWiringsDefaultAndAPlansProfilesWin() {
    ComposeWiring wiring =
        ComposeWiring.builder()
            .environment(Map.of(ComposeWiring.PROFILES_VARIABLE, " debug, ,tools "))
            .noLeases()
            .build();
    assertEquals(Set.of("debug", "tools"), wiring.profiles());
    assertEquals(
        Set.of(), ComposeWiring.builder().environment(Map.of()).noLeases().build().profiles());
    Compose engine = wiring.engine(stubClient(), HostPorts.system()).build();
    assertEquals(
        List.of("shop-db-1", "shop-web-1", "shop-debug-1", "shop-seed-1"),
        names(engine.plan(project())));
    assertEquals(
        List.of("shop-db-1", "shop-web-1", "shop-seed-1"),
        names(engine.plan(project(), PlanOptions.builder().addProfiles("tools").build())));
    Compose explicit =
        wiring.engine(stubClient(), HostPorts.system()).profiles(List.of("debug")).build();
    assertEquals(
        List.of("shop-db-1", "shop-web-1", "shop-debug-1"), names(explicit.plan(project())));
  }

  private static SingularityClient stubClient() {
    return SingularityClient.builder()
        .transport(new RecordingTransport())
        .binary(ReferenceToolUpPlanTest.V342)
        .hostIdentity(HostIdentity.of("/home/u", "host", "u"))
        .build();
  }
}
