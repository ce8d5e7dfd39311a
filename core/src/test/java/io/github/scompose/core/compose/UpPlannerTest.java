package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.ImmutableNetworkRequest;
import io.github.scompose.network.NetworkMode;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.ResolvConf;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.ImmutableComposeProject;
import io.github.scompose.spec.ImmutableDependsOn;
import io.github.scompose.spec.ImmutableInvocation;
import io.github.scompose.spec.ImmutableServiceSpec;
import io.github.scompose.spec.ImmutableVolumeMount;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.spec.VolumeMount;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link UpPlanner} on hand-built projects (no loader, no files). */
class UpPlannerTest {

  static final Path DIR = Path.of("/work/shop");

  static ServiceSpec service(String name, String... dependsOn) {
    ImmutableServiceSpec.Builder b =
        ImmutableServiceSpec.builder().name(name).image("/img/" + name + ".sif");
    for (String d : dependsOn) {
      b.addDependsOn(DependsOn.on(d));
    }
    return b.build();
  }

  static ComposeProject project(ServiceSpec... services) {
    return ImmutableComposeProject.builder()
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
                ImmutableNetworkRequest.copyOf(UpPlanner.networkRequest(p, facts, options))
                    .withCheckHostPorts(false)
                    .withResolvConf(ResolvConf.parse("nameserver 1.1.1.1\n"))),
        options);
  }

  static final RuntimeFacts ROOTLESS = RuntimeFacts.of(ReferenceToolUpPlanTest.V342.dialect());

  @Test
  void projectNamesReplicasAndLevels() {
    ServiceSpec web = ImmutableServiceSpec.copyOf(service("web", "app")).withReplicas(2);
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
    PlanOptions o = ImmutablePlanOptions.builder().naming(InstanceNaming.REFERENCE).build();
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
        List.of("/work/shop/.scompose/etc.hosts:/etc/hosts"),
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
        ImmutableServiceSpec.copyOf(service("web"))
            .withPorts(
                io.github.scompose.spec.ImmutablePortMapping.builder()
                    .hostPorts(io.github.scompose.spec.PortMapping.PortRange.single(8080))
                    .containerPorts(io.github.scompose.spec.PortMapping.PortRange.single(80))
                    .build());
    RuntimeFacts root = ImmutableRuntimeFacts.copyOf(ROOTLESS).withRoot(true);
    UpPlan plan = plan(project(web), root, PlanOptions.defaults());
    SingularityClient client = client();
    assertEquals(
        "singularity --quiet instance start --bind /work/shop/.scompose/resolv.conf:/etc/resolv.conf"
            + " --bind /work/shop/.scompose/etc.hosts:/etc/hosts --net --network bridge"
            + " --network-args portmap=8080:80/tcp --network-args IP=10.22.0.2 --hostname shop-web-1"
            + " --writable-tmpfs /img/web.sif shop-web-1",
        String.join(" ", client.dryRun(plan.instances().get(0).start())));
  }

  @Test
  void namedVolumesLiveInTheStateDirectoryAndTmpfsIsRefused() {
    ServiceSpec db =
        ImmutableServiceSpec.copyOf(service("db"))
            .withVolumes(
                ImmutableVolumeMount.builder()
                    .type(VolumeMount.Type.VOLUME)
                    .source("data")
                    .target("/var/lib/db")
                    .build(),
                ImmutableVolumeMount.builder()
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
            "/work/shop/.scompose/etc.hosts:/etc/hosts"),
        plan.instances().get(0).start().binds().stream().map(b -> b.spec()).toList());

    ServiceSpec tmp =
        ImmutableServiceSpec.copyOf(service("tmp"))
            .withVolumes(
                ImmutableVolumeMount.builder()
                    .type(VolumeMount.Type.TMPFS)
                    .target("/scratch")
                    .build());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> plan(project(tmp), ROOTLESS, PlanOptions.defaults()));
    assertTrue(e.getMessage().contains("tmpfs mount at /scratch"), e.getMessage());
  }

  @Test
  void environmentNeverReachesTheArgv() {
    ServiceSpec web =
        ImmutableServiceSpec.copyOf(service("web")).withEnvironment(Map.of("PASSWORD", "s3cret"));
    UpPlan plan = plan(project(web), ROOTLESS, PlanOptions.defaults());
    assertEquals(Map.of("PASSWORD", "s3cret"), plan.instances().get(0).start().environment());
    assertFalse(plan.dryRun(client()).contains("s3cret"));
  }

  @Test
  void selectingAServiceBringsItsDependencies() {
    PlanOptions o = ImmutablePlanOptions.builder().addService("app").build();
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
        ImmutableServiceSpec.builder()
            .name("app")
            .image("docker://alpine:3")
            .start(ImmutableInvocation.builder().addArg("one two").argsAsOneString(true).build())
            .run(
                ImmutableInvocation.builder()
                    .addArg("--port 80")
                    .argsAsOneString(true)
                    .background(true)
                    .build())
            .build();
    UpPlan plan = plan(project(service("db"), app), ROOTLESS, PlanOptions.defaults());
    assertEquals(
        String.join(
            "\n",
            "singularity --quiet pull /work/shop/app/app.sif docker://alpine:3",
            "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts"
                + " --writable-tmpfs /img/db.sif shop-db-1",
            "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts"
                + " --writable-tmpfs /work/shop/app/app.sif shop-app-1 'one two'",
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
    return ImmutableDependsOn.builder()
        .service(service)
        .condition(DependsOn.Condition.SERVICE_HEALTHY)
        .build();
  }
}
