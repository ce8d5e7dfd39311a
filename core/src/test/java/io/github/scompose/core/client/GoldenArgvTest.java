package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.errors.UnknownFlagException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact argv of every command for every dialect. 3.4.2 flags are from its recorded help texts
 * (../shared/reference/singularityce-3.4.2/help-*.txt); 2.x and Apptainer from their docs.
 */
class GoldenArgvTest {

  static final SingularityBinary V2 =
      SingularityBinary.of("singularity", BinaryVersion.parse("2.6.1-dist"));
  static final SingularityBinary V342 =
      SingularityBinary.of("singularity", BinaryVersion.parse("singularity version 3.4.2"));
  static final SingularityBinary CE4 =
      SingularityBinary.of("singularity", BinaryVersion.parse("singularity-ce version 4.1.2"));
  static final SingularityBinary APPTAINER =
      SingularityBinary.of("apptainer", BinaryVersion.parse("apptainer version 1.3.4"));

  static String line(SingularityBinary binary, SingularityCommand command) {
    return line(binary, command, false, false);
  }

  static String line(
      SingularityBinary binary, SingularityCommand command, boolean quiet, boolean sudo) {
    SingularityClient client =
        SingularityClient.builder()
            .transport(new ScriptedTransport())
            .binary(binary)
            .quiet(quiet)
            .sudo(sudo)
            .build();
    return String.join(" ", client.dryRun(command));
  }

  static InstanceStart.Builder start(String image, String name) {
    return InstanceStart.builder().image(image).name(name);
  }

  // ---- instance start ---------------------------------------------------------------------------

  @Test
  void plainStartPerDialect() {
    InstanceStart s = InstanceStart.of("/images/busybox.sif", "app1");
    // recorded from SingularityCE 3.4.2 (01-basic.txt)
    assertEquals("singularity instance start /images/busybox.sif app1", line(V342, s));
    assertEquals("singularity instance start /images/busybox.sif app1", line(CE4, s));
    assertEquals("apptainer instance start /images/busybox.sif app1", line(APPTAINER, s));
    assertEquals("singularity instance.start /images/busybox.sif app1", line(V2, s));
  }

  @Test
  void startWithStartscriptArgs() {
    // recorded from SingularityCE 3.4.2 (02-startscript-logs.txt)
    InstanceStart s = start("/images/svc.sif", "web1").addArgs("a1", "b", "2").build();
    assertEquals("singularity instance start /images/svc.sif web1 a1 b 2", line(V342, s));
  }

  @Test
  void recordedBridgeStartOf342() {
    // recorded from SingularityCE 3.4.2 (04-net2.txt), flags in our order: binds first
    InstanceStart s =
        start("/images/svc.sif", "app2")
            .addBinds(Bind.parse("/tmp/hosts:/etc/hosts"))
            .net(true)
            .network("bridge")
            .addNetworkArgs("IP=10.22.0.3", "portmap=8080:80/tcp")
            .hostname("app2")
            .build();
    assertEquals(
        "singularity instance start --bind /tmp/hosts:/etc/hosts --net --network bridge"
            + " --network-args IP=10.22.0.3 --network-args portmap=8080:80/tcp --hostname app2"
            + " /images/svc.sif app2",
        line(V342, s));
  }

  /** What singularity-compose 0.1.19 ran (../shared/reference), minus its literal quotes. */
  static InstanceStart referenceToolStart() {
    return start("/images/sleep.sif", "web1")
        .addBinds(
            Bind.of("WD/resolv.conf", "/etc/resolv.conf"), Bind.of("WD/etc.hosts", "/etc/hosts"))
        .net(true)
        .network("none")
        .addNetworkArgs("IP=10.22.0.2")
        .hostname("web1")
        .writableTmpfs(true)
        .build();
  }

  @Test
  void referenceToolFormOfStart() {
    assertEquals(
        "singularity --quiet instance start --bind WD/resolv.conf:/etc/resolv.conf"
            + " --bind WD/etc.hosts:/etc/hosts --net --network none --network-args IP=10.22.0.2"
            + " --hostname web1 --writable-tmpfs /images/sleep.sif web1",
        line(V342, referenceToolStart(), true, false));
    assertEquals(
        List.of(
            "singularity",
            "--quiet",
            "instance",
            "start",
            "--bind",
            "WD/resolv.conf:/etc/resolv.conf",
            "--bind",
            "WD/etc.hosts:/etc/hosts",
            "--net",
            "--network",
            "none",
            "--network-args",
            "IP=10.22.0.2",
            "--hostname",
            "web1",
            "--writable-tmpfs",
            "/images/sleep.sif",
            "web1"),
        SingularityClient.builder()
            .transport(new ScriptedTransport())
            .binary(V342)
            .quiet(true)
            .build()
            .dryRun(referenceToolStart()));
  }

  @Test
  void referenceToolFormWithPortsFakerootAndOptions() {
    // singularity-compose-examples v2.0/ping: ports, fakeroot
    InstanceStart ping =
        start("WD/alp1/alp1.sif", "alp11")
            .addBinds(
                Bind.of("WD/resolv.conf", "/etc/resolv.conf"),
                Bind.of("WD/etc.hosts", "/etc/hosts"))
            .net(true)
            .addNetworkArgs("portmap=1025:1025/tcp", "IP=10.22.0.2")
            .fakeroot(true)
            .hostname("alp11")
            .writableTmpfs(true)
            .build();
    assertEquals(
        "singularity --quiet instance start --bind WD/resolv.conf:/etc/resolv.conf --bind"
            + " WD/etc.hosts:/etc/hosts --net --network-args portmap=1025:1025/tcp"
            + " --network-args IP=10.22.0.2 --fakeroot --hostname alp11 --writable-tmpfs"
            + " WD/alp1/alp1.sif alp11",
        line(V342, ping, true, false));
    // options as written in compose (fakeroot, --contain): the reference wrote ----contain
    InstanceStart options =
        start("WD/p.sif", "prometheus1").addOptions("fakeroot", "--contain").build();
    assertEquals(
        "singularity instance start --fakeroot --contain WD/p.sif prometheus1",
        line(V342, options));
  }

  @Test
  void passThroughOptionsInComposeForm() {
    InstanceStart s =
        start("i.sif", "n").addOptions("fakeroot", "e", "workdir=/x", "C", "--nv").build();
    assertEquals(
        "apptainer instance start --fakeroot -e --workdir=/x -C --nv i.sif n", line(APPTAINER, s));
  }

  @Test
  void everyTypedStartFlagInOrder() {
    InstanceStart s =
        start("i.sif", "n")
            .addBinds(Bind.parse("/data:/data:ro"), Bind.parse("/scratch"))
            .net(true)
            .network("bridge")
            .addNetworkArgs("IP=10.0.0.2")
            .fakeroot(true)
            .contain(true)
            .containall(true)
            .cleanenv(true)
            .home("/home/u:/home/u")
            .nv(true)
            .rocm(true)
            .addOverlays("o.img")
            .envFile("my.env")
            .addOptions("dns=1.1.1.1")
            .hostname("h")
            .writableTmpfs(true)
            .addArgs("x")
            .build();
    assertEquals(
        "apptainer instance start --bind /data:/data:ro --bind /scratch:/scratch --net --network"
            + " bridge --network-args IP=10.0.0.2 --fakeroot --contain --containall --cleanenv"
            + " --home /home/u:/home/u --nv --rocm --overlay o.img --env-file my.env"
            + " --dns=1.1.1.1 --hostname h --writable-tmpfs i.sif n x",
        line(APPTAINER, s));
    // Apptainer's instance start has no --pwd (it is an exec/run/shell/test flag)
    assertThrows(
        io.github.scompose.core.errors.UnknownFlagException.class,
        () -> line(APPTAINER, s.withPwd("/work")));
  }

  @Test
  void unsupportedStartOptionsFailBeforeRunning() {
    ScriptedTransport t = new ScriptedTransport();
    SingularityClient v2 = SingularityClient.builder().transport(t).binary(V2).build();
    UnknownFlagException net =
        assertThrows(
            UnknownFlagException.class, () -> v2.start(start("i.sif", "n").net(true).build()));
    assertEquals("--net", net.flag());
    assertTrue(net.getMessage().contains("2.6.1-dist"), net.getMessage());
    assertEquals(
        "--hostname",
        assertThrows(
                UnknownFlagException.class,
                () -> v2.start(start("i.sif", "n").hostname("h").build()))
            .flag());
    assertEquals(
        "--fakeroot",
        assertThrows(
                UnknownFlagException.class,
                () -> v2.start(start("i.sif", "n").addOptions("fakeroot").build()))
            .flag());
    // recorded from SingularityCE 3.4.2: unknown flag: --env
    assertEquals(
        "--env",
        assertThrows(
                UnknownFlagException.class,
                () -> line(V342, start("i.sif", "n").addOptions("env=FOO=1").build()))
            .flag());
    assertEquals(
        "--env-file",
        assertThrows(
                UnknownFlagException.class,
                () -> line(V342, start("i.sif", "n").envFile("x.env").build()))
            .flag());
    assertEquals(
        "--rocm",
        assertThrows(
                UnknownFlagException.class,
                () -> line(V342, start("i.sif", "n").rocm(true).build()))
            .flag());
    assertTrue(t.requests.isEmpty(), "nothing ran");
  }

  @Test
  void resourceLimitFlagsPerDialect() {
    InstanceStart limited =
        start("/images/svc.sif", "web1").nv(true).cpus(0.5).memory(1L << 30).pidsLimit(64).build();
    // SingularityCE 3.10+ and Apptainer 1.1+ (changelogs; not checked against a real binary)
    assertEquals(
        "singularity instance start --nv --cpus 0.5 --memory 1073741824 --pids-limit 64"
            + " /images/svc.sif web1",
        line(CE4, limited));
    assertEquals(
        "apptainer instance start --nv --cpus 0.5 --memory 1073741824 --pids-limit 64"
            + " /images/svc.sif web1",
        line(APPTAINER, limited));
    // 3.4.2's recorded instance start help has no --cpus; it has --apply-cgroups
    assertEquals(
        "--cpus", assertThrows(UnknownFlagException.class, () -> line(V342, limited)).flag());
    InstanceStart cgroups =
        start("/images/svc.sif", "web1").applyCgroups("/p/.scompose/cgroups-web1.toml").build();
    assertEquals(
        "singularity instance start --apply-cgroups /p/.scompose/cgroups-web1.toml"
            + " /images/svc.sif web1",
        line(V342, cgroups));
    assertEquals(
        "--apply-cgroups",
        assertThrows(UnknownFlagException.class, () -> line(V2, cgroups)).flag());
    // the pass-through spelling is refused where the flag is known to be missing
    assertEquals(
        "--cpus",
        assertThrows(
                UnknownFlagException.class,
                () -> line(V342, start("i.sif", "n").addOptions("cpus=2").build()))
            .flag());
    assertEquals(
        "singularity instance start --cpus 2 /images/svc.sif web1",
        line(CE4, start("/images/svc.sif", "web1").cpus(2.0).build()));
  }

  // ---- instance run -----------------------------------------------------------------------------

  @Test
  void instanceRunOnlyOnApptainer() {
    InstanceRun r =
        InstanceRun.builder()
            .image("docker://nginx")
            .name("web")
            .writableTmpfs(true)
            .addArgs("-g", "daemon off;")
            .build();
    assertEquals(
        "apptainer instance run --writable-tmpfs docker://nginx web -g daemon off;",
        line(APPTAINER, r));
    for (SingularityBinary b : List.of(V2, V342, CE4)) {
      assertEquals(
          "instance run", assertThrows(UnknownFlagException.class, () -> line(b, r)).flag());
    }
  }

  // ---- instance list / stop ---------------------------------------------------------------------

  @Test
  void listPerDialect() {
    // recorded from SingularityCE 3.4.2 (01-basic.txt)
    assertEquals("singularity instance list --json", line(V342, InstanceList.all()));
    assertEquals("singularity instance list --json", line(CE4, InstanceList.named("web1")));
    assertEquals("apptainer instance list --json", line(APPTAINER, InstanceList.all()));
    assertEquals("singularity instance.list", line(V2, InstanceList.all()));
    assertEquals(
        "singularity instance list --json --user alice",
        line(V342, InstanceList.builder().user("alice").build()));
  }

  @Test
  void stopPerDialect() {
    // recorded from SingularityCE 3.4.2 (01-basic.txt, 06-env-tmpfs.txt)
    assertEquals("singularity instance stop app1", line(V342, InstanceStop.of("app1")));
    assertEquals("singularity instance stop --all", line(V342, InstanceStop.everything()));
    assertEquals("singularity instance.stop app1", line(V2, InstanceStop.of("app1")));
    assertEquals("apptainer instance stop --all", line(APPTAINER, InstanceStop.everything()));
    InstanceStop full =
        InstanceStop.builder()
            .name("app")
            .signal("TERM")
            .timeout(Duration.ofMillis(2500))
            .force(true)
            .build();
    assertEquals(
        "singularity instance stop --signal TERM --timeout 3 --force app", line(CE4, full));
    assertEquals("--signal", assertThrows(UnknownFlagException.class, () -> line(V2, full)).flag());
    assertEquals(
        "--timeout",
        assertThrows(
                UnknownFlagException.class,
                () ->
                    line(
                        V2,
                        InstanceStop.builder().name("app").timeout(Duration.ofSeconds(3)).build()))
            .flag());
    assertEquals(
        "singularity instance stop --signal SIGTERM app1",
        line(V342, InstanceStop.builder().name("app1").signal("SIGTERM").build()),
        "3.4.2's help: -s, --signal string; example instance stop -s SIGTERM mysql1");
    assertThrows(IllegalArgumentException.class, () -> InstanceStop.builder().build());
  }

  // ---- exec / run -------------------------------------------------------------------------------

  @Test
  void execPerDialect() {
    // recorded from SingularityCE 3.4.2 (01-basic.txt)
    Exec e = Exec.inInstance("app1", "cat", "/etc/hostname");
    assertEquals("singularity exec instance://app1 cat /etc/hostname", line(V342, e));
    assertEquals("singularity exec instance://app1 cat /etc/hostname", line(V2, e));
    assertEquals("apptainer exec instance://app1 cat /etc/hostname", line(APPTAINER, e));
    assertEquals(
        "singularity exec /images/busybox.sif sh -c exit 3",
        line(V342, Exec.inImage("/images/busybox.sif", "sh", "-c", "exit 3")));
    Exec withApp =
        Exec.builder()
            .target("img.sif")
            .app("tool")
            .cleanenv(true)
            .addBinds(Bind.of("/a", "/b"))
            .addCommand("tool", "--help")
            .build();
    assertEquals(
        "singularity exec --bind /a:/b --cleanenv --app tool img.sif tool --help",
        line(CE4, withApp));
  }

  @Test
  void runWithScifApp() {
    Run r =
        Run.builder().target("instance://pdf").app("pdf_client").addArgs("URL", "out.pdf").build();
    assertEquals("singularity run --app pdf_client instance://pdf URL out.pdf", line(V342, r));
    assertEquals("singularity run --app pdf_client instance://pdf URL out.pdf", line(V2, r));
    assertEquals("apptainer run instance://db1", line(APPTAINER, Run.inInstance("db1")));
    assertEquals("singularity run img.sif a b", line(CE4, Run.ofImage("img.sif", "a", "b")));
  }

  // ---- pull / build / inspect -------------------------------------------------------------------

  @Test
  void pullPerDialect() {
    Pull p =
        Pull.builder()
            .uri("docker://redis:latest")
            .destination("WD/redis/redis.sif")
            .force(true)
            .build();
    assertEquals(
        "singularity pull --force WD/redis/redis.sif docker://redis:latest", line(V342, p));
    assertEquals(
        "apptainer pull --force WD/redis/redis.sif docker://redis:latest", line(APPTAINER, p));
    assertEquals(
        "singularity pull --force --name WD/redis/redis.sif docker://redis:latest", line(V2, p));
    assertEquals(
        "singularity pull docker://alpine",
        line(CE4, Pull.builder().uri("docker://alpine").build()));
  }

  @Test
  void buildPerDialect() {
    // singularity-compose 0.1.19 ran: singularity build --fakeroot WD/alp1/alp1.sif Singularity
    Build b =
        Build.builder().destination("WD/alp1/alp1.sif").spec("Singularity").fakeroot(true).build();
    assertEquals("singularity build --fakeroot WD/alp1/alp1.sif Singularity", line(V342, b));
    assertEquals("apptainer build --fakeroot WD/alp1/alp1.sif Singularity", line(APPTAINER, b));
    assertEquals("--fakeroot", assertThrows(UnknownFlagException.class, () -> line(V2, b)).flag());
    Build sandbox =
        Build.builder()
            .destination("/tmp/debian")
            .spec("docker://debian:latest")
            .sandbox(true)
            .force(true)
            .addOptions("notest")
            .build();
    assertEquals(
        "singularity build --sandbox --force --notest /tmp/debian docker://debian:latest",
        line(V2, sandbox));
    assertEquals(
        "sudo -n singularity build /x.sif Singularity",
        line(V342, Build.of("/x.sif", "Singularity"), false, true));
  }

  @Test
  void inspectPerDialect() {
    // recorded from SingularityCE 3.4.2 (08-inspect-errors.txt)
    assertEquals(
        "singularity inspect --json /images/svc.sif", line(V342, Inspect.of("/images/svc.sif")));
    Inspect sections =
        Inspect.builder()
            .image("i.sif")
            .json(false)
            .labels(true)
            .runscript(true)
            .environment(true)
            .listApps(true)
            .app("a")
            .build();
    assertEquals(
        "apptainer inspect --labels --runscript --environment --list-apps --app a i.sif",
        line(APPTAINER, sections));
    assertEquals(
        "singularity inspect --labels --runscript --environment --list-apps --app a i.sif",
        line(V2, sections));
  }
}
