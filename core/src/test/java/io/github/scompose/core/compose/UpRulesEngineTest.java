package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.RestartPolicy;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 rules of {@code up} on {@link RecordingTransport}: one-off {@code
 * service_completed_successfully} dependencies, spec 2.0 {@code post} on the host, the binary's
 * reason in {@link ComposeUpException}, and the restart policy's {@code window}.
 */
class UpRulesEngineTest extends EngineFixture<RecordingTransport> {

  UpRulesEngineTest() {
    super(new RecordingTransport(), false);
  }

  /** Project "shop" in {@code dir}, in the Compose Specification format. */
  @Override
  ComposeProject project(ServiceSpec... services) {
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(SourceFormat.COMPOSE_SPEC)
        .addServices(services)
        .build();
  }

  static ServiceSpec migrate() {
    return svc("migrate").withCommand(List.of("migrate", "--all"));
  }

  static ServiceSpec appAfterMigrate(boolean required) {
    return svc("app")
        .withDependsOn(
            DependsOn.builder()
                .service("migrate")
                .condition(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY)
                .required(required)
                .build());
  }

  @Test
  void aCompletedOneOffLetsItsDependentsStartAndIsNotLeftRunning() {
    try (ComposeStack stack =
        engine().build().up(project(svc("db"), migrate(), appAfterMigrate(true)))) {
      List<List<String>> argvs = runtime.argvs();
      int run = indexOf(argvs, "run", "/img/migrate.sif");
      int app = indexOf(argvs, "instance", "start", "shop-app-1");
      assertTrue(run >= 0 && app > run, argvs.toString());
      assertFalse(runtime.startedNames().contains("shop-migrate-1"));
      assertTrue(argvs.get(run).containsAll(List.of("migrate", "--all")));
      assertFalse(argvs.get(run).contains("--net"));
      assertFalse(runtime.running.containsKey("shop-migrate-1"));
      assertTrue(stack.ps().stream().noneMatch(s -> s.service().equals("migrate")));
    }
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void aFailedOneOffFailsUpAtomicallyNamingServiceExitAndOutput() throws Exception {
    runtime.imageExits.put("/img/migrate.sif", 3);
    Compose compose = engine().build();
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () ->
                compose.up(
                    project(
                        svc("db"),
                        migrate().withDependsOn(DependsOn.on("db")),
                        appAfterMigrate(true))));
    assertEquals("migrate", e.instance());
    assertEquals(3, e.exitCode().orElseThrow());
    ComposeOperationException asOperation = e; // one catch serves every compose operation
    assertEquals("up", asOperation.operation());
    assertTrue(
        e.getMessage().endsWith("everything this up started has been stopped"), e.getMessage());
    assertTrue(e.getMessage().contains("service 'migrate'"), e.getMessage());
    assertTrue(e.logTail().contains("relation users already exists"), e.getMessage());
    assertTrue(e.logTail().contains("migrating 1 of 2"), e.getMessage());
    assertTrue(runtime.running.isEmpty(), "left running: " + runtime.running);
    assertTrue(runtime.stopped.contains("shop-db-1"));
    assertFalse(runtime.startedNames().contains("shop-app-1"));
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
  }

  @Test
  void aFailedOneOffThatNobodyRequiresOnlyWarns() {
    runtime.imageExits.put("/img/migrate.sif", 1);
    try (ComposeStack stack = engine().build().up(project(migrate(), appAfterMigrate(false)))) {
      assertTrue(runtime.running.containsKey("shop-app-1"));
      assertTrue(
          events.stream()
              .anyMatch(
                  ev ->
                      ev.type() == ComposeEvent.Type.FAILED
                          && ev.message().contains("required: false")));
    }
  }

  @Test
  void postCommandsRunOnTheHostInTheProjectDirectoryAndAFailureRollsBack() {
    ServiceSpec web =
        svc("web").withPost(Invocation.builder().addArgs("/bin/prepare", "uploads").build());
    try (ComposeStack stack = engine().build().up(project(web))) {
      assertEquals(dir.toString(), runtime.hostDirs.get("/bin/prepare"));
      int start = indexOf(runtime.argvs(), "instance", "start", "shop-web-1");
      int post = indexOf(runtime.argvs(), "/bin/prepare", "uploads");
      assertTrue(start >= 0 && post > start);
    }
    runtime.hostExits.put("/bin/prepare", 2);
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engine().build().up(project(web)));
    assertEquals("shop-web-1", e.instance());
    assertEquals(2, e.exitCode().orElseThrow());
    assertEquals(List.of("/bin/prepare", "uploads"), e.maskedArgv());
    assertTrue(e.logTail().contains("host step broke"), e.getMessage());
    assertTrue(runtime.running.isEmpty());
  }

  @Test
  void theBinarysFatalLineIsInTheMessageNotOnlyInTheCause() {
    runtime.failStart.put("shop-db-1", 1);
    ComposeUpException e =
        assertThrows(ComposeUpException.class, () -> engine().build().up(project(svc("db"))));
    assertTrue(
        e.getMessage()
            .lines()
            .findFirst()
            .orElseThrow()
            .contains("FATAL: container creation failed"),
        e.getMessage());
  }

  @Test
  void anInstanceThatDiedAfterASuccessfulStartCarriesItsLogTail() {
    runtime.dieAtStart.put("shop-db-1", 99);
    ComposeUpException e =
        assertThrows(
            ComposeUpException.class,
            () -> engine().startupAttempts(1).build().up(project(svc("db"))));
    assertTrue(
        e.getMessage().contains("started successfully")
            || e.getMessage().contains("successful start"),
        e.getMessage());
    assertTrue(e.logTail().contains("daemon exited with status 151"), e.getMessage());
    assertTrue(e.getMessage().contains("daemon exited with status 151"), e.getMessage());
  }

  @Test
  void hostsFileIsWrittenThroughTheTransport() throws Exception {
    try (ComposeStack stack = engine().build().up(project(svc("db")))) {
      String hosts = Files.readString(dir.resolve(".scompose/etc.hosts"));
      assertTrue(hosts.contains("shop-db-1"), hosts);
      assertEquals(
          "rw-r--r--",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(dir.resolve(".scompose/etc.hosts"))));
    }
  }

  @Test
  void restartWindowCountsOnlyRestartsThatDiedWithinIt() {
    ServiceSpec worker =
        svc("worker")
            .withRestart(
                RestartPolicy.builder()
                    .condition(RestartPolicy.Condition.ALWAYS)
                    .maxAttempts(1)
                    .window(Duration.ofSeconds(30))
                    .build());
    try (ComposeStack stack =
        engine().supervisionInterval(Duration.ZERO).build().up(project(worker))) {
      runtime.running.remove("shop-worker-1"); // dies after a long run: not a failed attempt
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      clock.sleep(Duration.ofSeconds(40)); // stays up for the whole window: that restart worked
      assertEquals(List.of(), stack.superviseOnce());
      runtime.running.remove("shop-worker-1");
      // without the window, max_attempts 1 would have given up here
      assertEquals(List.of("shop-worker-1"), stack.superviseOnce());
      clock.sleep(Duration.ofSeconds(5));
      runtime.running.remove("shop-worker-1"); // dies within the window: one failed attempt
      assertEquals(List.of(), stack.superviseOnce());
      clock.sleep(Duration.ofSeconds(60));
      assertEquals(List.of(), stack.superviseOnce()); // gave up
      assertEquals(3, runtime.startCalls.get("shop-worker-1"));
      assertTrue(
          events.stream()
              .anyMatch(
                  ev -> ev.type() == ComposeEvent.Type.FAILED && ev.message().contains("window")));
    }
  }

  static int indexOf(List<List<String>> argvs, String... words) {
    for (int i = 0; i < argvs.size(); i++) {
      if (argvs.get(i).containsAll(List.of(words))) {
        return i;
      }
    }
    return -1;
  }
}
