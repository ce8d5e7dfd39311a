package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code start}/{@code restart} launch an instance as {@code up} did — {@code instance run} for an
 * image converted from Docker where the dialect has it, else {@code instance start} and the
 * background {@code run instance://} again — and never start a one-off service as an instance; on
 * {@link ComposeOpsRuntime}.
 */
class ComposeOpsLaunchTest {

  static final SingularityBinary APPTAINER =
      SingularityBinary.of("apptainer", BinaryVersion.parse("apptainer version 1.3.0"));

  @TempDir Path dir;
  final ComposeOpsRuntime runtime = new ComposeOpsRuntime();
  final List<ComposeEvent> events = Collections.synchronizedList(new ArrayList<>());
  final ExecutorService pool = Executors.newCachedThreadPool();
  final ComposeEngineTest.ManualClock clock = new ComposeEngineTest.ManualClock();

  @AfterEach
  void shutdown() {
    pool.shutdownNow();
  }

  Compose.Builder engine(SingularityBinary binary) {
    return Compose.builder()
        .client(
            SingularityClient.builder()
                .transport(runtime)
                .binary(binary)
                .hostIdentity(HostIdentity.of("/home/u", "host", "u"))
                .clock(clock)
                .sleeper(clock::sleep)
                .build())
        .facts(RuntimeFacts.builder().dialect(binary.dialect()).root(true).build())
        .executor(pool)
        .parallelism(8)
        .listener(events::add)
        .clock(clock)
        .sleeper(clock::sleep)
        .goneWait(Duration.ofSeconds(5))
        .supervisionInterval(Duration.ZERO)
        .networkPlanner(NetworkPlanner.create().withHostPorts(new ComposeEngineTest.NoPorts()));
  }

  ComposeProject project(ServiceSpec... services) {
    return ComposeProject.builder()
        .name("shop")
        .directory(dir)
        .format(SourceFormat.COMPOSE_SPEC)
        .addServices(services)
        .build();
  }

  /** A service on an image converted from Docker (no startscript), with a command. */
  static ServiceSpec dockerApp() {
    return ServiceSpec.builder()
        .name("app")
        .image("docker://nginx:1")
        .command(List.of("serve", "--port", "80"))
        .build();
  }

  long count(String... words) {
    return runtime.count(words);
  }

  @Test
  void startAndRestartUseInstanceRunWhereUpDid() {
    Compose compose = engine(APPTAINER).build();
    try (ComposeStack stack = compose.up(project(dockerApp()))) {
      assertEquals(1, count("instance", "run", "shop-app-1", "serve"));
      assertEquals(0, count("instance", "start"));
      List<String> upArgv = runtime.startArgv.get("shop-app-1");

      stack.stop();
      assertEquals(List.of("shop-app-1"), stack.start());
      assertEquals(2, count("instance", "run", "shop-app-1", "serve"));
      assertEquals(0, count("instance", "start"), "never instance start: it would run nothing");
      assertEquals(upArgv, runtime.startArgv.get("shop-app-1"));

      // from another process, through the state directory
      compose.restart(dir, null);
      assertEquals(3, count("instance", "run", "shop-app-1", "serve"));
      assertEquals(0, count("instance", "start"));
      assertTrue(runtime.running.containsKey("shop-app-1"));
    }
  }

  @Test
  void startAndRestartLaunchTheBackgroundRunAgainWithoutInstanceRun() {
    Compose compose = engine(ReferenceToolUpPlanTest.V342).build();
    try (ComposeStack stack = compose.up(project(dockerApp()))) {
      assertEquals(1, count("instance", "start", "shop-app-1"));
      assertEquals(1, count("run", "instance://shop-app-1", "serve", "--port", "80"));

      stack.restart();
      assertEquals(2, count("instance", "start", "shop-app-1"));
      assertEquals(2, count("run", "instance://shop-app-1", "serve", "--port", "80"));
      compose.attach(dir).stop();
      compose.start(dir);
      assertEquals(3, count("run", "instance://shop-app-1", "serve", "--port", "80"));
    }
  }

  @Test
  void upRecreatesADockerServiceWhoseCommandChangedAndKeepsAnUnchangedOne() {
    Compose compose = engine(ReferenceToolUpPlanTest.V342).build();
    compose.up(project(dockerApp()));
    compose.up(project(dockerApp()));
    assertEquals(1, count("instance", "start", "shop-app-1"), "unchanged: kept");
    ServiceSpec changed = dockerApp().withCommand(List.of("serve2"));
    compose.up(project(changed));
    assertEquals(
        2,
        count("instance", "start", "shop-app-1"),
        "the command is in the background run, not in the start argv, and it changed");
    assertEquals(1, count("run", "instance://shop-app-1", "serve2"));
    assertTrue(runtime.stopOrder.contains("shop-app-1"));
  }

  @Test
  void aRestartByPolicyLaunchesTheBackgroundRunAgain() {
    ServiceSpec app =
        dockerApp()
            .withRestart(
                io.github.scompose.spec.RestartPolicy.builder()
                    .condition(io.github.scompose.spec.RestartPolicy.Condition.ALWAYS)
                    .build());
    try (ComposeStack stack = engine(ReferenceToolUpPlanTest.V342).build().up(project(app))) {
      assertEquals(1, count("run", "instance://shop-app-1", "serve", "--port", "80"));
      runtime.running.remove("shop-app-1");
      assertEquals(List.of("shop-app-1"), stack.superviseOnce());
      assertEquals(2, count("instance", "start", "shop-app-1"));
      assertEquals(2, count("run", "instance://shop-app-1", "serve", "--port", "80"));
    }
  }

  static ServiceSpec migrate() {
    return ComposeOpsTest.svc("migrate").withCommand(List.of("migrate", "--all"));
  }

  static ServiceSpec appAfterMigrate() {
    return ComposeOpsTest.svc("app")
        .withDependsOn(
            DependsOn.builder()
                .service("migrate")
                .condition(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY)
                .build());
  }

  @Test
  void aOneOffServiceIsNeverStartedStoppedOrRestartedAsAnInstance() {
    Compose compose = engine(ReferenceToolUpPlanTest.V342).build();
    ComposeProject p = project(migrate(), appAfterMigrate());
    try (ComposeStack stack = compose.create(p)) {
      assertEquals(List.of("shop-app-1"), stack.ps().stream().map(InstanceStatus::name).toList());
      assertEquals(List.of("shop-app-1"), stack.start());
      assertEquals(List.of("shop-app-1"), runtime.startedNames());
      stack.restart();
      assertEquals(List.of("shop-app-1", "shop-app-1"), runtime.startedNames());
    }
    runtime.requests.clear();
    try (ComposeStack stack = compose.up(p)) {
      assertEquals(1, count("run", "/img/migrate.sif", "migrate", "--all"), "up runs it once");
      assertEquals(List.of("shop-app-1"), stack.restart());
      assertEquals(List.of("shop-app-1"), stack.stop());
      assertEquals(List.of("shop-app-1"), compose.start(dir, "app"));
      assertFalse(runtime.startedNames().contains("shop-migrate-1"), runtime.argvs().toString());
      assertEquals(Map.of(), Map.copyOf(filterKeys("shop-migrate-1")));
    }
  }

  private Map<String, Long> filterKeys(String name) {
    Map<String, Long> out = new java.util.HashMap<>();
    runtime.running.forEach(
        (k, v) -> {
          if (k.equals(name)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
