package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DialectTest {

  static Dialect of(String version) {
    return Dialect.forVersion(BinaryVersion.parse(version));
  }

  @Test
  void singularity2() {
    Dialect d = of("2.6.1-dist");
    assertEquals(List.of("instance.start"), d.instanceStartCommand());
    assertEquals(List.of("instance.list"), d.instanceListCommand());
    assertEquals(List.of("instance.stop"), d.instanceStopCommand());
    assertFalse(d.supportsNetworking());
    assertFalse(d.supportsJsonList());
    assertFalse(d.supportsEnvFile());
    assertFalse(d.supportsInstanceRun());
    assertFalse(d.pullTakesDestinationArgument());
    assertFalse(d.mayHaveOption("--net"));
    assertTrue(d.mayHaveOption("--nv"));
    assertEquals(Set.of(), d.jsonListFields());
    assertEquals("SINGULARITYENV_", d.envPrefix());
  }

  @Test
  void singularity342AsRecorded() {
    Dialect d = of("singularity version 3.4.2");
    assertEquals(List.of("instance", "start"), d.instanceStartCommand());
    assertTrue(d.supportsJsonList());
    assertTrue(d.supportsNetworking());
    assertTrue(d.supportsFakeroot());
    assertFalse(d.supportsEnvFile(), "recorded: unknown flag: --env");
    assertFalse(d.mayHaveOption("--env"));
    assertFalse(d.supportsRocm());
    assertFalse(d.supportsInstanceRun());
    assertEquals(Set.of("instance", "pid", "img"), d.jsonListFields());
    assertEquals(".singularity", d.userDirectory());
    assertEquals(
        "/root/.singularity/instances/logs/vm/root/web1.out",
        d.defaultLogPath("/root", "vm", "root", "web1", LogStream.OUT));
    assertThrows(UnsupportedOperationException.class, d::instanceRunCommand);
  }

  @Test
  void singularityCe4() {
    Dialect d = of("singularity-ce version 4.1.2");
    assertTrue(d.supportsEnvFile());
    assertTrue(d.mayHaveOption("--env"));
    assertTrue(d.supportsRocm());
    assertFalse(d.supportsInstanceRun());
    assertTrue(d.jsonListFields().contains("logOutPath"));
    assertEquals(of("singularity-ce version 4.1.2"), d);
    assertNotEquals(of("singularity-ce version 4.1.3"), d);
    assertTrue(of("singularity-ce version 3.6.0").supportsEnvFile());
    assertFalse(of("3.5.3").supportsEnvFile());
  }

  @Test
  void apptainer() {
    Dialect d = of("apptainer version 1.3.4");
    assertEquals(List.of("instance", "run"), d.instanceRunCommand());
    assertTrue(d.supportsInstanceRun());
    assertTrue(d.supportsEnvFile());
    assertEquals("APPTAINERENV_", d.envPrefix());
    assertEquals(".apptainer", d.userDirectory());
    assertEquals(
        "/home/u/.apptainer/instances/logs/h/u/x.err",
        d.defaultLogPath("/home/u/", "h", "u", "x", LogStream.ERR));
    assertEquals(
        Set.of("instance", "pid", "img", "ip", "logOutPath", "logErrPath"), d.jsonListFields());
  }

  @Test
  void tooOld() {
    assertThrows(IllegalArgumentException.class, () -> of("1.9.0"));
  }

  @Test
  void optionsPerSubcommandAsRecordedFrom342() {
    Dialect d = of("singularity version 3.4.2");
    // recorded help-instance-start: no --pwd, no --app; help-exec / help-run: both
    assertFalse(d.supportsOption(Dialect.INSTANCE_START, "--pwd"));
    assertFalse(d.supportsOption(Dialect.INSTANCE_START, "--app"));
    assertTrue(d.supportsOption(Dialect.EXEC, "--pwd"));
    assertTrue(d.supportsOption(Dialect.RUN, "--pwd"));
    assertTrue(d.supportsOption(Dialect.INSTANCE_START, "--scratch"));
    assertTrue(d.supportsOption(Dialect.INSTANCE_START, "--boot"));
    assertFalse(d.supportsOption(Dialect.EXEC, "--boot"));
    assertFalse(d.supportsOption(Dialect.EXEC, "--env"));
    assertFalse(d.supportsOption("pull", "--sandbox"));
    assertTrue(d.supportsOption("build", "--sandbox"));
    // an option no recorded table knows is left to the binary
    assertTrue(d.supportsOption(Dialect.INSTANCE_START, "--some-future-flag"));
    // other 3.x keep 3.4.2's instance start differences; Apptainer and 2.x register --pwd for
    // exec/run only, not for instance start/run
    assertFalse(of("singularity-ce version 3.9.4").supportsOption(Dialect.INSTANCE_START, "--pwd"));
    assertTrue(of("singularity-ce version 3.9.4").supportsOption(Dialect.EXEC, "--pwd"));
    assertFalse(of("apptainer version 1.3.0").supportsOption(Dialect.INSTANCE_START, "--pwd"));
    assertFalse(of("apptainer version 1.3.0").supportsOption(Dialect.INSTANCE_RUN, "--pwd"));
    assertTrue(of("apptainer version 1.3.0").supportsOption(Dialect.EXEC, "--pwd"));
    assertTrue(of("apptainer version 1.3.0").supportsOption(Dialect.RUN, "--pwd"));
    assertFalse(of("2.6.1-dist").supportsOption(Dialect.INSTANCE_START, "--pwd"));
    assertTrue(of("2.6.1-dist").supportsOption(Dialect.EXEC, "--pwd"));
    assertFalse(of("2.6.1-dist").supportsOption(Dialect.INSTANCE_START, "--net"));
  }

  @Test
  void pwdOnAnInstanceStartOf342IsRefusedBeforeAnythingRuns() {
    Dialect d = of("singularity version 3.4.2");
    InstanceStart s = InstanceStart.builder().image("i.sif").name("n").pwd("/w").build();
    io.github.scompose.core.errors.UnknownFlagException e =
        assertThrows(io.github.scompose.core.errors.UnknownFlagException.class, () -> s.render(d));
    assertTrue(e.getMessage().contains("--pwd"), e.getMessage());
    Exec x = Exec.builder().target("instance://n").addCommand("ls").pwd("/w").build();
    assertTrue(x.render(d).args().containsAll(List.of("--pwd", "/w")));
  }
}
