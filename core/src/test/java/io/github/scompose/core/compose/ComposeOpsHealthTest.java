package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.internal.compose.InstanceRecords;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code start} and {@code restart} wait for {@code depends_on: condition: service_healthy}
 * dependencies as {@code up} does, from the healthchecks recorded in {@code .scompose/
 * instances.json} (so also from another engine, i.e. another process), and fail cleanly when a
 * dependency never becomes healthy. On {@link ComposeOpsRuntime}, a stub runtime whose {@code exec
 * instance://…} exits as told.
 */
class ComposeOpsHealthTest extends EngineFixture<ComposeOpsRuntime> {

  ComposeOpsHealthTest() {
    super(new ComposeOpsRuntime(), true);
  }

  /** db (healthcheck {@code pg_isready} every 5 s, 3 retries) ← app (service_healthy). */
  ComposeProject dbAndApp(boolean required) {
    ServiceSpec db =
        UpPlannerTest.service("db")
            .withHealthcheck(
                Healthcheck.builder()
                    .addTest("CMD", "pg_isready")
                    .interval(Duration.ofSeconds(5))
                    .retries(3)
                    .build());
    ServiceSpec app =
        ServiceSpec.builder()
            .from(UpPlannerTest.service("app"))
            .dependsOn(
                List.of(
                    DependsOn.builder()
                        .service("db")
                        .condition(DependsOn.Condition.SERVICE_HEALTHY)
                        .required(required)
                        .build()))
            .build();
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(db, app)
        .build();
  }

  /** Index in the request log of the first request after {@code from} that contains every word. */
  int indexOf(int from, String... words) {
    List<List<String>> argvs = runtime.argvs();
    for (int i = from; i < argvs.size(); i++) {
      if (argvs.get(i).containsAll(List.of(words))) {
        return i;
      }
    }
    return -1;
  }

  int lastIndexOf(String... words) {
    List<List<String>> argvs = runtime.argvs();
    for (int i = argvs.size() - 1; i >= 0; i--) {
      if (argvs.get(i).containsAll(List.of(words))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void startOfAStoppedProjectFromAnotherEngineWaitsForTheHealthcheckBeforeTheDependent() {
    Compose first = engine().build();
    try (ComposeStack stack = first.up(dbAndApp(true))) {
      stack.stop();
      assertTrue(runtime.running.isEmpty());
      int before = runtime.argvs().size();
      events.clear();
      runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 1, 0)));
      Instant t0 = clock.instant();

      // a new engine, as another process: only the records file tells it about the healthcheck
      assertEquals(List.of("shop-db-1", "shop-app-1"), engine().build().start(dir));

      assertEquals(Duration.ofSeconds(10), Duration.between(t0, clock.instant()));
      int dbStart = indexOf(before, "instance", "start", "shop-db-1");
      int appStart = indexOf(before, "instance", "start", "shop-app-1");
      int lastCheck = lastIndexOf("exec", "instance://shop-db-1", "pg_isready");
      assertTrue(dbStart >= 0 && appStart >= 0, runtime.argvs().toString());
      assertEquals(
          3,
          runtime.argvs().subList(before, runtime.argvs().size()).stream()
              .filter(a -> a.containsAll(List.of("exec", "instance://shop-db-1", "pg_isready")))
              .count());
      assertTrue(dbStart < lastCheck && lastCheck < appStart, runtime.argvs().toString());
      List<ComposeEvent.Type> types = events.stream().map(ComposeEvent::type).toList();
      int healthy = types.indexOf(ComposeEvent.Type.HEALTHY);
      int startingApp =
          events.indexOf(
              events.stream()
                  .filter(
                      e ->
                          e.type() == ComposeEvent.Type.STARTING
                              && e.instance().orElse("").equals("shop-app-1"))
                  .findFirst()
                  .orElseThrow());
      assertTrue(healthy >= 0 && healthy < startingApp, types.toString());
      assertEquals(2, runtime.running.size());
    }
  }

  @Test
  void restartWaitsForTheHealthcheckToo() {
    try (ComposeStack stack = engine().build().up(dbAndApp(true))) {
      int before = runtime.argvs().size();
      runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 0)));
      assertEquals(List.of("shop-db-1", "shop-app-1"), stack.restart());
      int lastCheck = lastIndexOf("exec", "instance://shop-db-1", "pg_isready");
      assertTrue(lastCheck > before);
      assertTrue(
          lastCheck < indexOf(before, "instance", "start", "shop-app-1"),
          runtime.argvs().toString());
      assertTrue(runtime.execExits.get("shop-db-1").isEmpty(), "both checks ran");
    }
  }

  @Test
  void aDependencyThatNeverBecomesHealthyFailsStartAndStopsWhatThisStartStarted() {
    try (ComposeStack stack = engine().build().up(dbAndApp(true))) {
      stack.stop();
      events.clear();
      runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 1, 1, 1)));
      runtime.execOutput.put("shop-db-1", "checking\n/run/postgresql:5432 - no response\n");

      ComposeOperationException e =
          assertThrows(ComposeOperationException.class, () -> stack.start());

      assertEquals("start", e.operation());
      assertEquals("shop-db-1", e.instance());
      assertEquals(1, e.exitCode().orElseThrow());
      assertTrue(e.logTail().endsWith("/run/postgresql:5432 - no response"), e.logTail());
      assertTrue(String.join(" ", e.maskedArgv()).contains("pg_isready"), e.getMessage());
      assertTrue(e.getMessage().startsWith("start failed at shop-db-1: unhealthy"), e.getMessage());
      assertTrue(
          e.getMessage().endsWith("what this start started has been stopped: shop-db-1"),
          e.getMessage());
      assertTrue(runtime.running.isEmpty(), "the dependency this start started was stopped");
      assertEquals(1, runtime.startCalls.get("shop-app-1"), "the dependent never started again");
      assertTrue(
          stack.ps().stream().allMatch(i -> i.state() == InstanceStatus.State.EXITED),
          stack.ps().toString());
      assertTrue(
          InstanceRecords.read(dir.resolve(".scompose"))
              .orElseThrow()
              .stopped()
              .contains("shop-db-1"),
          "restart policies still leave it alone");

      // once healthy, the next start brings both up
      runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(0)));
      assertEquals(List.of("shop-db-1", "shop-app-1"), stack.start());
      assertEquals(2, runtime.running.size());
    }
  }

  @Test
  void anUnhealthyDependencyThatIsNotRequiredLetsTheDependentStart() {
    try (ComposeStack stack = engine().build().up(dbAndApp(false))) {
      stack.stop();
      events.clear();
      runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 1, 1)));
      assertEquals(List.of("shop-db-1", "shop-app-1"), stack.start());
      assertTrue(
          events.stream()
              .anyMatch(
                  ev ->
                      ev.type() == ComposeEvent.Type.FAILED
                          && ev.message().contains("required: false")),
          events.toString());
      assertEquals(2, runtime.running.size());
    }
  }

  @Test
  void startOfTheDependentAloneRefusesADependencyThatIsNotRunning() {
    try (ComposeStack stack = engine().build().up(dbAndApp(true))) {
      stack.stop();
      int before = runtime.argvs().size();
      ComposeOperationException e =
          assertThrows(ComposeOperationException.class, () -> stack.start("app"));
      assertEquals("shop-db-1", e.instance());
      assertTrue(e.getMessage().contains("not running"), e.getMessage());
      assertEquals(-1, indexOf(before, "exec"), "no healthcheck ran");
      assertEquals(-1, indexOf(before, "instance", "start"), "nothing started");
      assertTrue(runtime.running.isEmpty());

      // with the dependency running, the dependent alone waits for its healthcheck
      stack.start("db");
      runtime.execExits.put("shop-db-1", new ArrayDeque<>(List.of(1, 0)));
      assertEquals(List.of("shop-app-1"), stack.start("app"));
      assertTrue(runtime.execExits.get("shop-db-1").isEmpty());
    }
  }

  @Test
  void theRecordsKeepWaitsAndHealthchecks() {
    try (ComposeStack stack = engine().build().up(dbAndApp(false))) {
      InstanceRecords.Content c = InstanceRecords.read(dir.resolve(".scompose")).orElseThrow();
      InstanceRecords.Record db = c.record("shop-db-1").orElseThrow();
      InstanceRecords.Record app = c.record("shop-app-1").orElseThrow();
      assertEquals(List.of("pg_isready"), db.healthcheck().orElseThrow().test().subList(1, 2));
      assertEquals(Duration.ofSeconds(5), db.healthcheck().orElseThrow().interval().orElseThrow());
      assertEquals(3, db.healthcheck().orElseThrow().retries().getAsInt());
      assertTrue(db.waits().isEmpty());
      assertEquals(1, app.waits().size());
      assertEquals(DependsOn.Condition.SERVICE_HEALTHY, app.waits().get(0).condition());
      assertEquals(List.of("shop-db-1"), app.waits().get(0).instances());
      assertFalse(app.waits().get(0).required());
      assertEquals(Optional.empty(), app.healthcheck());
    }
  }

  /** A records file as versions before the waits were recorded wrote it. */
  @Test
  void anOlderRecordsFileStillReadsWithoutWaits() throws Exception {
    Path state = dir.resolve(".scompose");
    Files.createDirectories(state);
    Files.writeString(
        InstanceRecords.in(state),
        """
        {"format": 1, "instances": [{"service": "db", "name": "shop-db-1", "replica": 1, \
        "level": 0, "stopped": true, "runscriptInstance": false, "oneOff": false, \
        "start": {"image": "/img/db.sif", "name": "shop-db-1", "args": [], "binds": [], \
        "environment": {}, "networkArgs": [], "overlays": [], "scratch": [], "options": [], \
        "net": false, "fakeroot": false, "contain": false, "containall": false, \
        "cleanenv": false, "nv": false, "rocm": false, "writableTmpfs": false}, \
        "afterStart": []}], "files": {}}
        """);
    InstanceRecords.Record r =
        InstanceRecords.read(state).orElseThrow().record("shop-db-1").orElseThrow();
    assertEquals("/img/db.sif", r.start().image());
    assertTrue(r.stopped());
    assertTrue(r.waits().isEmpty());
    assertEquals(Optional.empty(), r.healthcheck());
  }
}
