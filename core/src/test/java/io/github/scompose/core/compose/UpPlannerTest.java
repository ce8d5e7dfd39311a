package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.NetworkMode;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.ResolvConf;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.spec.VolumeMount;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UpPlanner} on hand-built projects (no loader, no files). */
class UpPlannerTest {

  static final Path DIR = Path.of("/work/shop");

  static ServiceSpec service(String name, String... dependsOn) {
    ServiceSpec.Builder b = ServiceSpec.builder().name(name).image("/img/" + name + ".sif");
    for (String d : dependsOn) {
      b.addDependsOn(DependsOn.on(d));
    }
    return b.build();
  }

  static ComposeProject project(ServiceSpec... services) {
    return ComposeProject.builder()
        .name("shop")
        .directory(DIR)
        .format(SourceFormat.SINGULARITY_COMPOSE_2_0)
        .addServices(services)
        .build();
  }

  static UpPlan plan(ComposeProject p, RuntimeFacts facts, PlanOptions options) {
    return UpPlanner.plan(
        p,
        facts,
        NetworkPlanner.create()
            .plan(
                UpPlanner.networkRequest(p, facts, options)
                    .withCheckHostPorts(false)
                    .withResolvConf(ResolvConf.parse("nameserver 1.1.1.1\n"))),
        options);
  }

  static final RuntimeFacts ROOTLESS = RuntimeFacts.of(ReferenceToolUpPlanTest.V342.dialect());

  @Test
  void projectNamesReplicasAndLevels() {
    ServiceSpec web = service("web", "app").withReplicas(2);
    UpPlan plan =
        plan(project(service("db"), service("app", "db"), web), ROOTLESS, PlanOptions.defaults());
    assertEquals(
        List.of("shop-db-1", "shop-app-1", "shop-web-1", "shop-web-2"),
        plan.instances().stream().map(PlannedInstance::name).toList());
    assertEquals(3, plan.levels().size());
    assertEquals(
        List.of("shop-web-1", "shop-web-2"),
        plan.levels().get(2).stream().map(PlannedInstance::name).toList());
    DependencyWait w = plan.instance("shop-web-2").waits().get(0);
    assertEquals("app", w.service());
    assertEquals(List.of("shop-app-1"), w.instances());
    assertEquals(DependsOn.Condition.SERVICE_STARTED, w.condition());
    assertEquals(DIR.resolve(".scompose"), plan.stateDirectory());
  }

  @Test
  void referenceNamingGivesServiceAndReplica() {
    PlanOptions o = PlanOptions.builder().naming(InstanceNaming.REFERENCE).build();
    UpPlan plan = plan(project(service("web")), ROOTLESS, o);
    assertEquals("web1", plan.instances().get(0).name());
  }

  @Test
  void rootlessDefaultIsHostNetworkingWithTheHostsFileBoundReadable() {
    UpPlan plan =
        plan(project(service("db"), service("web", "db")), ROOTLESS, PlanOptions.defaults());
    assertEquals(NetworkMode.HOST, plan.network().mode());
    var start = plan.instance("shop-web-1").start();
    assertFalse(start.net());
    assertTrue(start.hostname().isEmpty());
    assertEquals(
        List.of("/work/shop/.scompose/etc.hosts:/etc/hosts:ro"),
        start.binds().stream().map(b -> b.spec()).toList());
    String hosts =
        plan.files().stream()
            .filter(f -> f.fileName().equals("etc.hosts"))
            .findFirst()
            .orElseThrow()
            .content();
    assertTrue(hosts.contains("127.0.0.1") && hosts.contains("shop-web-1"), hosts);
  }

  @Test
  void rootGetsABridgeWithAddressesPortmapsFirst() {
    ServiceSpec web =
        service("web")
            .withPorts(
                io.github.scompose.spec.PortMapping.builder()
                    .hostPorts(io.github.scompose.spec.PortMapping.PortRange.single(8080))
                    .containerPorts(io.github.scompose.spec.PortMapping.PortRange.single(80))
                    .build());
    RuntimeFacts root = ROOTLESS.withRoot(true);
    UpPlan plan = plan(project(web), root, PlanOptions.defaults());
    SingularityClient client = client();
    assertEquals(
        "singularity --quiet instance start --bind /work/shop/.scompose/resolv.conf:/etc/resolv.conf:ro"
            + " --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro --net --network bridge"
            + " --network-args portmap=8080:80/tcp --network-args IP=10.22.0.2 --hostname shop-web-1"
            + " --writable-tmpfs /img/web.sif shop-web-1",
        String.join(" ", client.dryRun(plan.instances().get(0).start())));
  }

  @Test
  void namedVolumesLiveInTheStateDirectoryAndTmpfsIsRefused() {
    ServiceSpec db =
        service("db")
            .withVolumes(
                VolumeMount.builder()
                    .type(VolumeMount.Type.VOLUME)
                    .source("data")
                    .target("/var/lib/db")
                    .build(),
                VolumeMount.builder()
                    .type(VolumeMount.Type.BIND)
                    .source("/srv/conf/")
                    .target("/etc/db")
                    .readOnly(true)
                    .build());
    UpPlan plan = plan(project(db), ROOTLESS, PlanOptions.defaults());
    assertEquals(List.of(DIR.resolve(".scompose/volumes/data")), plan.volumeDirectories());
    assertEquals(
        List.of(
            "/work/shop/.scompose/volumes/data:/var/lib/db",
            "/srv/conf:/etc/db:ro",
            "/work/shop/.scompose/etc.hosts:/etc/hosts:ro"),
        plan.instances().get(0).start().binds().stream().map(b -> b.spec()).toList());

    ServiceSpec tmp =
        service("tmp")
            .withVolumes(
                VolumeMount.builder().type(VolumeMount.Type.TMPFS).target("/scratch").build());
    // SingularityCE 3.4.2's instance start has --scratch (recorded help): a tmpfs becomes one
    UpPlan scratch = plan(project(tmp), ROOTLESS, PlanOptions.defaults());
    assertEquals(List.of("/scratch"), scratch.instances().get(0).start().scratch());
    assertTrue(
        SingularityClient.builder()
            .transport(new RecordingTransport())
            .binary(ReferenceToolUpPlanTest.V342)
            .build()
            .dryRun(scratch.instances().get(0).start())
            .containsAll(List.of("--scratch", "/scratch")));
    // a dialect without --scratch refuses it, naming service and path
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                plan(
                    project(tmp),
                    RuntimeFacts.of(withoutOption(ROOTLESS.dialect(), "--scratch")),
                    PlanOptions.defaults()));
    assertTrue(
        e.getMessage().contains("service 'tmp'")
            && e.getMessage().contains("tmpfs mount at /scratch"),
        e.getMessage());
  }

  /** {@code dialect}, except that no subcommand has {@code option}. */
  static Dialect withoutOption(Dialect dialect, String option) {
    return (Dialect)
        Proxy.newProxyInstance(
            Dialect.class.getClassLoader(),
            new Class<?>[] {Dialect.class},
            (proxy, method, args) -> {
              if (method.getName().equals("supportsOption") && option.equals(args[1])) {
                return false;
              }
              try {
                return method.invoke(dialect, args);
              } catch (InvocationTargetException x) {
                throw x.getCause();
              }
            });
  }

  @Test
  void workingDirGoesToExecAndRunWhereInstanceStartHasNoPwd() {
    ServiceSpec web =
        service("web")
            .withWorkingDir("/srv/app")
            .withExec(Invocation.builder().addArgs("ls").build());
    UpPlan plan = plan(project(web), ROOTLESS, PlanOptions.defaults());
    PlannedInstance i = plan.instances().get(0);
    // recorded: 3.4.2's instance start has no --pwd, exec has
    assertTrue(i.start().pwd().isEmpty());
    assertEquals(
        java.util.Optional.of("/srv/app"),
        ((io.github.scompose.core.client.Exec) i.afterStart().get(0).command()).pwd());
    assertTrue(
        plan.notes().stream()
            .anyMatch(n -> n.contains("working_dir /srv/app") && n.contains("has no --pwd")),
        plan.notes().toString());

    RuntimeFacts apptainer =
        RuntimeFacts.of(
            io.github.scompose.core.client.Dialect.forVersion(
                io.github.scompose.core.client.BinaryVersion.parse("apptainer version 1.3.0")));
    PlannedInstance a = plan(project(web), apptainer, PlanOptions.defaults()).instances().get(0);
    // Apptainer registers --pwd for exec/run only (action_flags.go), not for instance start
    assertEquals(java.util.Optional.empty(), a.start().pwd());
    assertEquals(
        java.util.Optional.of("/srv/app"),
        ((io.github.scompose.core.client.Exec) a.afterStart().get(0).command()).pwd());
  }

  static ComposeProject composeSpec(ServiceSpec... services) {
    return project(services).withFormat(SourceFormat.COMPOSE_SPEC);
  }

  @Test
  void dockerImagesWithoutStartscriptUseInstanceRunOrABackgroundRun() {
    ServiceSpec web =
        ServiceSpec.builder()
            .name("web")
            .image("nginx:alpine")
            .command(List.of("nginx", "-g", "daemon off;"))
            .build();
    // Apptainer: instance run with the command as runscript arguments
    RuntimeFacts apptainer =
        RuntimeFacts.of(
            io.github.scompose.core.client.Dialect.forVersion(
                io.github.scompose.core.client.BinaryVersion.parse("apptainer version 1.3.0")));
    PlannedInstance a =
        plan(composeSpec(web), apptainer, PlanOptions.defaults()).instances().get(0);
    assertTrue(a.runscriptInstance());
    assertTrue(a.launch() instanceof io.github.scompose.core.client.InstanceRun);
    assertEquals(List.of("nginx", "-g", "daemon off;"), a.start().args());
    assertTrue(a.afterStart().isEmpty());

    // SingularityCE 3.4.2: instance start, then run instance://NAME command in the background
    PlannedInstance c = plan(composeSpec(web), ROOTLESS, PlanOptions.defaults()).instances().get(0);
    assertFalse(c.runscriptInstance());
    assertTrue(c.start().args().isEmpty());
    AfterStartStep bg = c.afterStart().get(0);
    assertTrue(bg.background());
    io.github.scompose.core.client.Run run = (io.github.scompose.core.client.Run) bg.command();
    assertEquals("instance://shop-web-1", run.target());
    assertEquals(List.of("nginx", "-g", "daemon off;"), run.args());

    // an entrypoint replaces the runscript: exec it
    ServiceSpec ep = web.withEntrypoint(List.of("/docker-entrypoint.sh"));
    PlannedInstance e = plan(composeSpec(ep), apptainer, PlanOptions.defaults()).instances().get(0);
    assertFalse(e.runscriptInstance());
    io.github.scompose.core.client.Exec ex =
        (io.github.scompose.core.client.Exec) e.afterStart().get(0).command();
    assertEquals(List.of("/docker-entrypoint.sh", "nginx", "-g", "daemon off;"), ex.command());
  }

  /**
   * SingularityCE 3.4.2 gives a later {@code run}/{@code exec instance://} only the image's
   * environment (recorded): the background launch of a Docker image's command and an entrypoint's
   * exec carry the start's environment, env file and {@code --cleanenv}, else the main process
   * would run without the service's variables.
   */
  @Test
  void theLaunchStepsOfADockerImageCarryTheStartEnvironment() {
    ServiceSpec web =
        ServiceSpec.builder()
            .name("web")
            .image("nginx:alpine")
            .command(List.of("nginx"))
            .putEnvironment("GREETING", "hello-env")
            .build();
    PlannedInstance c = plan(composeSpec(web), ROOTLESS, PlanOptions.defaults()).instances().get(0);
    io.github.scompose.core.client.Run run =
        (io.github.scompose.core.client.Run) c.afterStart().get(0).command();
    assertEquals(Map.of("GREETING", "hello-env"), run.environment());
    assertEquals(c.start().environment(), run.environment());
    ServiceSpec ep = web.withEntrypoint(List.of("/docker-entrypoint.sh"));
    PlannedInstance e = plan(composeSpec(ep), ROOTLESS, PlanOptions.defaults()).instances().get(0);
    io.github.scompose.core.client.Exec ex =
        (io.github.scompose.core.client.Exec) e.afterStart().get(0).command();
    assertEquals(Map.of("GREETING", "hello-env"), ex.environment());
  }

  @Test
  void completedSuccessfullyMakesTheDependencyAOneOffRun() {
    ServiceSpec migrate =
        service("migrate").withCommand(List.of("migrate", "--all")).withWorkingDir("/srv");
    ServiceSpec app =
        service("app")
            .withDependsOn(
                DependsOn.builder()
                    .service("migrate")
                    .condition(DependsOn.Condition.SERVICE_COMPLETED_SUCCESSFULLY)
                    .build());
    UpPlan plan = plan(composeSpec(migrate, app), ROOTLESS, PlanOptions.defaults());
    PlannedInstance m = plan.instance("shop-migrate-1");
    io.github.scompose.core.client.Run run =
        (io.github.scompose.core.client.Run) m.oneOff().orElseThrow();
    assertEquals("/img/migrate.sif", run.target());
    assertEquals(List.of("migrate", "--all"), run.args());
    assertEquals(java.util.Optional.of("/srv"), run.pwd());
    assertFalse(run.net());
    assertTrue(plan.instance("shop-app-1").oneOff().isEmpty());
    String dry =
        plan.dryRun(
            SingularityClient.builder()
                .transport(new RecordingTransport())
                .binary(ReferenceToolUpPlanTest.V342)
                .build());
    assertTrue(
        dry.contains("singularity run --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"), dry);
    assertFalse(
        dry.contains(
            "instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
                + " --writable-tmpfs /img/migrate.sif"),
        dry);
  }

  @Test
  void postCommandsRunOnTheHostInTheProjectDirectory() {
    ServiceSpec web =
        service("web")
            .withPost(
                Invocation.builder().addArgs("/bin/bash", "./app/run_post.sh").build(),
                Invocation.builder()
                    .addArgs("mkdir -p './images/_upload x'")
                    .argsAsOneString(true)
                    .build());
    PlannedInstance i = plan(project(web), ROOTLESS, PlanOptions.defaults()).instances().get(0);
    assertEquals(2, i.post().size());
    assertEquals(List.of("/bin/bash", "./app/run_post.sh"), i.post().get(0).argv());
    assertEquals(List.of("mkdir", "-p", "./images/_upload x"), i.post().get(1).argv());
    assertEquals("/work/shop", i.post().get(0).workingDirectory());
  }

  @Test
  void environmentNeverReachesTheArgv() {
    ServiceSpec web = service("web").withEnvironment(Map.of("PASSWORD", "s3cret"));
    UpPlan plan = plan(project(web), ROOTLESS, PlanOptions.defaults());
    assertEquals(Map.of("PASSWORD", "s3cret"), plan.instances().get(0).start().environment());
    assertFalse(plan.dryRun(client()).contains("s3cret"));
  }

  @Test
  void selectingAServiceBringsItsDependencies() {
    PlanOptions o = PlanOptions.builder().addService("app").build();
    UpPlan plan =
        plan(project(service("db"), service("app", "db"), service("web", "app")), ROOTLESS, o);
    assertEquals(
        List.of("shop-db-1", "shop-app-1"),
        plan.instances().stream().map(PlannedInstance::name).toList());
  }

  @Test
  void aCycleFailsBeforeAnythingIsPlanned() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                plan(
                    project(service("a", "b"), service("b", "a")),
                    ROOTLESS,
                    PlanOptions.defaults()));
    assertEquals("depends_on has a cycle: a -> b -> a", e.getMessage());
  }

  @Test
  void dryRunPrintsImagesStartsChecksAndAfterStartSteps() {
    ServiceSpec app =
        ServiceSpec.builder()
            .name("app")
            .image("docker://alpine:3")
            .start(Invocation.builder().addArg("one two").argsAsOneString(true).build())
            .run(
                Invocation.builder()
                    .addArg("--port 80")
                    .argsAsOneString(true)
                    .background(true)
                    .build())
            .build();
    UpPlan plan = plan(project(service("db"), app), ROOTLESS, PlanOptions.defaults());
    assertEquals(
        String.join(
            "\n",
            "singularity --quiet pull /work/shop/.scompose/images/app.sif docker://alpine:3",
            "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
                + " --writable-tmpfs /img/db.sif shop-db-1",
            "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
                + " --writable-tmpfs /work/shop/.scompose/images/app.sif shop-app-1 'one two'",
            "singularity --quiet instance list --json",
            "singularity --quiet run instance://shop-app-1 --port 80",
            ""),
        plan.dryRun(client()));
    assertTrue(plan.instance("shop-app-1").afterStart().get(0).background());
  }

  static SingularityClient client() {
    return SingularityClient.builder()
        .transport(new RecordingTransport())
        .binary(ReferenceToolUpPlanTest.V342)
        .quiet(true)
        .build();
  }

  static DependsOn healthy(String service) {
    return DependsOn.builder()
        .service(service)
        .condition(DependsOn.Condition.SERVICE_HEALTHY)
        .build();
  }
}
