package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.internal.compose.InstanceRecords;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Compose GPU requests and resource limits, per dialect: the golden {@code instance start} line of
 * each, the generated cgroups file, the errors before anything starts; and singularity-stack's
 * undeclared named volumes, planned as binds of the project's folder and created at {@code up}.
 * SingularityCE 3.4.2 flags from its recorded help ({@code --nv}, {@code --apply-cgroups}, no
 * {@code --rocm}, {@code --cpus}, {@code --memory}, {@code --pids-limit}); later versions from
 * their changelogs.
 */
class ResourcesAndGpusTest extends EngineFixture<RecordingTransport> {

  ResourcesAndGpusTest() {
    super(new RecordingTransport(), true);
  }

  static final SingularityBinary V342 = ReferenceToolUpPlanTest.V342;
  static final SingularityBinary CE310 = binary("singularity", "singularity-ce version 3.10.0");
  static final SingularityBinary CE4 = binary("singularity", "singularity-ce version 4.1.2");
  static final SingularityBinary APPTAINER_10 = binary("apptainer", "apptainer version 1.0.3");
  static final SingularityBinary APPTAINER = binary("apptainer", "apptainer version 1.3.4");
  static final SingularityBinary V2 = binary("singularity", "2.6.1-dist");

  static SingularityBinary binary(String program, String version) {
    return SingularityBinary.of(program, BinaryVersion.parse(version));
  }

  static final Path SHOP = Path.of("/work/shop");

  static final String LIMITS_AND_GPU =
      "services:\n  web:\n    image: /img/web.sif\n    network_mode: host\n    gpus: all\n"
          + "    cpus: 1.5\n    mem_limit: 512m\n    deploy:\n      resources:\n"
          + "        limits:\n          pids: 100\n";

  static ComposeProject load(Path dir, String text) {
    return ComposeLoader.defaults()
        .withEnvironment(Map.of())
        .withProjectDirectory(dir)
        .withProjectName("shop")
        .loadString("compose.yaml", text);
  }

  static UpPlan plan(ComposeProject p, SingularityBinary binary, boolean root) {
    return UpPlannerTest.plan(
        p,
        RuntimeFacts.builder().dialect(binary.dialect()).root(root).build(),
        PlanOptions.defaults());
  }

  /** The start line of {@code instance} as the binary would get it. */
  static String startLine(UpPlan plan, SingularityBinary binary, String instance) {
    SingularityClient client =
        SingularityClient.builder()
            .transport(new RecordingTransport())
            .binary(binary)
            .quiet(true)
            .build();
    return String.join(" ", client.dryRun(plan.instance(instance).start()));
  }

  // ---- golden argv per dialect
  // -------------------------------------------------------------------

  @Test
  void singularityCe342AsRootAppliesAGeneratedCgroupsFile() {
    UpPlan plan = plan(load(SHOP, LIMITS_AND_GPU), V342, true);
    assertEquals(
        "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
            + " --nv --apply-cgroups /work/shop/.scompose/cgroups-shop-web-1.toml"
            + " --writable-tmpfs /img/web.sif shop-web-1",
        startLine(plan, V342, "shop-web-1"));
    assertEquals(
        "# cgroup limits of service web (instance shop-web-1), written by scompose for"
            + " --apply-cgroups\n"
            + "[cpu]\n    period = 100000\n    quota = 150000\n"
            + "[memory]\n    limit = 536870912\n"
            + "[pids]\n    limit = 100\n",
        plan.files().stream()
            .filter(f -> f.fileName().equals("cgroups-shop-web-1.toml"))
            .findFirst()
            .orElseThrow()
            .content());
  }

  @Test
  void newerDialectsGetTheResourceFlags() {
    ComposeProject p = load(SHOP, LIMITS_AND_GPU);
    assertEquals(
        "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
            + " --nv --cpus 1.5 --memory 536870912 --pids-limit 100 --writable-tmpfs"
            + " /img/web.sif shop-web-1",
        startLine(plan(p, CE310, false), CE310, "shop-web-1"));
    assertEquals(
        "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
            + " --nv --cpus 1.5 --memory 536870912 --pids-limit 100 --writable-tmpfs"
            + " /img/web.sif shop-web-1",
        startLine(plan(p, CE4, false), CE4, "shop-web-1"));
    assertEquals(
        "apptainer --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
            + " --nv --cpus 1.5 --memory 536870912 --pids-limit 100 --writable-tmpfs"
            + " /img/web.sif shop-web-1",
        startLine(plan(p, APPTAINER, false), APPTAINER, "shop-web-1"));
    assertTrue(
        plan(p, APPTAINER, false).files().stream()
            .noneMatch(f -> f.fileName().startsWith("cgroups-")),
        "no cgroups file where the flags exist");
    assertEquals(
        "apptainer --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
            + " --nv --apply-cgroups /work/shop/.scompose/cgroups-shop-web-1.toml"
            + " --writable-tmpfs /img/web.sif shop-web-1",
        startLine(plan(p, APPTAINER_10, true), APPTAINER_10, "shop-web-1"));
  }

  @Test
  void amdGpusGetRocmWhereTheDialectHasIt() {
    ComposeProject p =
        load(
            SHOP,
            "services:\n  web:\n    image: /img/web.sif\n    network_mode: host\n    deploy:\n"
                + "      resources:\n        reservations:\n          devices:\n"
                + "            - driver: amd\n              count: 1\n"
                + "              capabilities: [gpu]\n");
    UpPlan plan = plan(p, CE4, false);
    assertEquals(
        "singularity --quiet instance start --bind /work/shop/.scompose/etc.hosts:/etc/hosts:ro"
            + " --rocm --writable-tmpfs /img/web.sif shop-web-1",
        startLine(plan, CE4, "shop-web-1"));
    assertTrue(
        plan.notes()
            .contains(
                "service 'web': count 1 is not enforced: --rocm exposes every GPU of the host"
                    + " (set ROCR_VISIBLE_DEVICES in the environment to narrow them)"),
        plan.notes().toString());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan(p, V342, true));
    assertEquals(
        "service 'web': gpus with driver amd need --rocm, which singularity version 3.4.2 has"
            + " not (SingularityCE 3.5+, Apptainer)",
        e.getMessage());
  }

  @Test
  void limitsThatCannotBeAppliedFailBeforeAnythingStarts() {
    ComposeProject p = load(SHOP, LIMITS_AND_GPU);
    IllegalArgumentException rootless =
        assertThrows(IllegalArgumentException.class, () -> plan(p, V342, false));
    assertTrue(
        rootless
            .getMessage()
            .startsWith(
                "service 'web': the limits cpus, mem_limit, pids_limit (or"
                    + " deploy.resources.limits.cpus/memory/pids) need --apply-cgroups, which"),
        rootless.getMessage());
    assertTrue(rootless.getMessage().contains("allows only as root"), rootless.getMessage());
    IllegalArgumentException v2 =
        assertThrows(IllegalArgumentException.class, () -> plan(p, V2, true));
    assertEquals(
        "service 'web': the limits cpus, mem_limit, pids_limit (or"
            + " deploy.resources.limits.cpus/memory/pids) cannot be applied: singularity version"
            + " 2.6.1-dist instance start has neither --cpus/--memory/--pids-limit nor"
            + " --apply-cgroups",
        v2.getMessage());
  }

  @Test
  void anUnknownGpuDriverIsRefused() {
    ComposeProject p =
        load(SHOP, "services:\n  web:\n    image: /img/web.sif\n    gpus:\n      - driver: 3dfx\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> plan(p, CE4, false));
    assertEquals(
        "service 'web': GPU driver '3dfx' is not supported; use nvidia (--nv) or amd (--rocm)",
        e.getMessage());
  }

  // ---- the engine writes the cgroups file into the state directory
  // -------------------------------

  @Test
  void upWritesTheCgroupsFileBeforeTheStartThatNamesIt() throws Exception {
    ComposeProject p = load(dir, LIMITS_AND_GPU);
    ComposeStack stack = engine().build().up(p);
    Path toml = dir.resolve(".scompose/cgroups-shop-web-1.toml");
    assertTrue(Files.readString(toml).contains("[memory]\n    limit = 536870912\n"));
    List<String> start =
        runtime.argvs().stream()
            .filter(a -> a.contains("start") && a.contains("shop-web-1"))
            .findFirst()
            .orElseThrow();
    assertEquals(toml.toString(), start.get(start.indexOf("--apply-cgroups") + 1));
    assertTrue(start.contains("--nv"), start.toString());
    // recorded, so that start/restart from the records starts it with the same limits
    Path state = dir.resolve(".scompose");
    InstanceRecords.Content content = InstanceRecords.read(state).orElseThrow();
    InstanceRecords.Record r = content.instances().get(0);
    assertEquals(toml.toString(), r.start().applyCgroups().orElseThrow());
    assertTrue(r.start().nv());
    InstanceStart flags =
        InstanceStart.builder()
            .from(r.start())
            .applyCgroups(Optional.empty())
            .cpus(1.5)
            .memory(536870912L)
            .pidsLimit(100)
            .build();
    Path other = dir.resolve("other-state");
    Files.createDirectories(other);
    InstanceRecords.write(
        other,
        new InstanceRecords.Content(
            List.of(
                new InstanceRecords.Record(
                    r.service(),
                    r.name(),
                    r.replica(),
                    r.level(),
                    flags,
                    r.afterStart(),
                    r.stopped(),
                    r.runscriptInstance(),
                    r.oneOff(),
                    r.waits(),
                    r.healthcheck(),
                    r.stop())),
            content.files(),
            content.hostPathDirectories()));
    assertEquals(flags, InstanceRecords.read(other).orElseThrow().instances().get(0).start());
    stack.close();
  }

  // ---- singularity-stack: tmp:/data/db without top-level volumes
  // ----------------------------------

  @Test
  void theSingularityStackExampleShapePlansBothServicesWithTmpBoundAndUpCreatesIt()
      throws Exception {
    Files.writeString(
        dir.resolve("docker-compose.yml"),
        "version: \"3\"\nservices:\n  mongo:\n    image: ./mongo.sif\n    volumes:\n"
            + "      - tmp:/data/db\n  mysql:\n    image: ./mysql.sif\n    volumes:\n"
            + "      - tmp:/var/lib/mysql\n");
    ComposeProject p =
        ComposeLoader.defaults()
            .withEnvironment(Map.of())
            .withProjectName("shop")
            .load(dir.resolve("docker-compose.yml"));
    Path tmp = dir.resolve("tmp");
    UpPlan plan = plan(p, V342, true);
    assertTrue(
        plan.instance("shop-mongo-1").start().binds().stream()
            .anyMatch(b -> b.spec().equals(tmp + ":/data/db")),
        plan.instance("shop-mongo-1").start().binds().toString());
    assertTrue(
        plan.instance("shop-mysql-1").start().binds().stream()
            .anyMatch(b -> b.spec().equals(tmp + ":/var/lib/mysql")),
        plan.instance("shop-mysql-1").start().binds().toString());
    assertEquals(List.of(tmp), plan.hostPathDirectories());
    assertFalse(Files.exists(tmp), "neither loading nor planning creates it");
    engine().build().up(p).close();
    assertTrue(Files.isDirectory(tmp), "up creates it");
  }
}
