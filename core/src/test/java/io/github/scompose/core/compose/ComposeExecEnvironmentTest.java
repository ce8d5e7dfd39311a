package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.RenderedCommand;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.internal.compose.InstanceEnvironment;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.Healthcheck;
import io.github.scompose.spec.Invocation;
import io.github.scompose.spec.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code exec}, {@code run instance://} and every command the engine runs in an instance get the
 * environment the instance was started with (SingularityCE 3.4.2 gives a later {@code exec} only
 * the image's environment, recorded), through the client's env mechanism, never argv. On {@link
 * ComposeOpsRuntime} (SingularityCE 3.4.2: {@code SINGULARITYENV_} variables), which records argv
 * and environment of each request.
 */
class ComposeExecEnvironmentTest extends EngineFixture<ComposeOpsRuntime> {

  ComposeExecEnvironmentTest() {
    super(new ComposeOpsRuntime(), true);
  }

  static final String SECRET = "hunter2-value";

  ServiceSpec web() {
    return svc("web").withEnvironment(Map.of("GREETING", "hello-env", "DB_PASSWORD", SECRET));
  }

  CommandRequest last(String word) {
    List<CommandRequest> all = runtime.requests;
    synchronized (runtime) {
      for (int i = all.size() - 1; i >= 0; i--) {
        if (all.get(i).argv().contains(word)) {
          return all.get(i);
        }
      }
    }
    throw new AssertionError("no request with " + word + " in " + runtime.argvs());
  }

  CommandRequest startOf(String instance) {
    synchronized (runtime) {
      return runtime.requests.stream()
          .filter(r -> r.argv().contains("start") && r.argv().contains(instance))
          .findFirst()
          .orElseThrow();
    }
  }

  static void noValueInArgv(CommandRequest r, String... values) {
    String argv = String.join(" ", r.argv());
    for (String v : values) {
      assertFalse(argv.contains(v), "value in argv: " + r.argv());
    }
  }

  @Test
  void execGetsTheEnvironmentTheInstanceGotAtStartNeverInArgv() {
    try (ComposeStack stack = engine().build().up(project(web()))) {
      CommandResult r = stack.exec("web", "sh", "-c", "echo $GREETING");
      assertEquals(0, r.exitCode());
      CommandRequest exec = last("exec");
      assertEquals(
          List.of("exec", "instance://shop-web-1", "sh", "-c", "echo $GREETING"),
          exec.argv().subList(1, exec.argv().size()));
      assertEquals(startOf("shop-web-1").environment(), exec.environment(), "as at start");
      assertEquals("hello-env", exec.environment().get("SINGULARITYENV_GREETING"));
      assertEquals(SECRET, exec.environment().get("SINGULARITYENV_DB_PASSWORD"));
      noValueInArgv(exec, SECRET, "hello-env");
    }
  }

  @Test
  void extraVariablesAddAndOverrideAndAnotherEngineReadsTheRecords() {
    try (ComposeStack stack = engine().build().up(project(web()))) {
      stack.exec("web", Map.of("GREETING", "other", "EXTRA", "x1"), "sh", "-c", "echo $GREETING");
      CommandRequest exec = last("exec");
      assertEquals("other", exec.environment().get("SINGULARITYENV_GREETING"));
      assertEquals("x1", exec.environment().get("SINGULARITYENV_EXTRA"));
      assertEquals(SECRET, exec.environment().get("SINGULARITYENV_DB_PASSWORD"));
      noValueInArgv(exec, "other", "x1", SECRET);

      // a second engine (another process): only the records under the project directory
      Compose other = engine().build();
      other.exec(
          dir,
          InstanceCommand.builder()
              .instance("shop-web-1")
              .addArgs("env")
              .putEnvironment("GREETING", "third")
              .build());
      CommandRequest again = last("exec");
      assertEquals("third", again.environment().get("SINGULARITYENV_GREETING"));
      assertEquals(SECRET, again.environment().get("SINGULARITYENV_DB_PASSWORD"));
      assertTrue(
          InstanceCommand.builder()
                  .instance("x")
                  .putEnvironment("K", SECRET)
                  .build()
                  .toString()
                  .indexOf(SECRET)
              < 0,
          "the value is redacted from toString");

      assertThrows(
          IllegalArgumentException.class,
          () -> other.exec(dir, InstanceCommand.of("shop-nosuch-1", "true")));
      assertThrows(IllegalArgumentException.class, () -> stack.exec("nosuch", "true"));
    }
  }

  @Test
  void runInInstanceGetsTheEnvironmentToo() {
    try (ComposeStack stack = engine().build().up(project(web()))) {
      stack.runInInstance("web", "arg1");
      CommandRequest run = last("run");
      assertEquals(
          List.of("run", "instance://shop-web-1", "arg1"),
          run.argv().subList(1, run.argv().size()));
      assertEquals(startOf("shop-web-1").environment(), run.environment());
      engine()
          .build()
          .runInInstance(
              dir,
              InstanceCommand.builder()
                  .instance("shop-web-1")
                  .putEnvironment("GREETING", "over")
                  .build());
      assertEquals("over", last("run").environment().get("SINGULARITYENV_GREETING"));
      noValueInArgv(last("run"), "over", SECRET);

      // one-off run (docker compose run -e): the recorded start's environment plus the extra
      engine().build().run(project(web()), "web", Map.of("GREETING", "one-off"), "x");
      CommandRequest oneOff = last("/img/web.sif");
      assertEquals("one-off", oneOff.environment().get("SINGULARITYENV_GREETING"));
      assertEquals(SECRET, oneOff.environment().get("SINGULARITYENV_DB_PASSWORD"));
      noValueInArgv(oneOff, "one-off", SECRET);
    }
  }

  @Test
  void afterStartStepsAndHealthchecksRunWithTheEnvironment() {
    ServiceSpec db =
        web()
            .withName("db")
            .withImage("/img/db.sif")
            .withExec(Invocation.builder().addArgs("init-db", "--now").build())
            .withHealthcheck(
                Healthcheck.builder()
                    .addTest("CMD", "pg_isready")
                    .interval(Duration.ofSeconds(5))
                    .retries(3)
                    .build());
    ServiceSpec app =
        ServiceSpec.builder()
            .from(svc("app"))
            .addDependsOn(
                io.github.scompose.spec.DependsOn.builder()
                    .service("db")
                    .condition(io.github.scompose.spec.DependsOn.Condition.SERVICE_HEALTHY)
                    .build())
            .build();
    try (ComposeStack stack = engine().build().up(project(db, app))) {
      CommandRequest step = last("init-db");
      assertEquals(SECRET, step.environment().get("SINGULARITYENV_DB_PASSWORD"));
      CommandRequest health = last("pg_isready");
      assertEquals("hello-env", health.environment().get("SINGULARITYENV_GREETING"));
      noValueInArgv(step, SECRET);
      noValueInArgv(health, SECRET);

      // start after stop: the recorded steps and healthcheck keep it (another engine)
      stack.stop();
      runtime.requests.clear();
      engine().build().start(dir);
      assertEquals(SECRET, last("init-db").environment().get("SINGULARITYENV_DB_PASSWORD"));
      assertEquals(SECRET, last("pg_isready").environment().get("SINGULARITYENV_DB_PASSWORD"));
    }
  }

  @Test
  void withAnEnvFileDialectTheValuesGoIntoTheEnvFileNotArgv() {
    SingularityClient apptainer =
        SingularityClient.builder()
            .transport(runtime)
            .binary(
                SingularityBinary.of("apptainer", BinaryVersion.parse("apptainer version 1.2.5")))
            .hostIdentity(HostIdentity.of("/home/u", "host", "u"))
            .build();
    InstanceStart start =
        io.github.scompose.core.client.InstanceStart.builder()
            .image("/img/web.sif")
            .name("shop-web-1")
            .putEnvironment("GREETING", "hello-env")
            .containall(true)
            .build();
    var exec = InstanceEnvironment.exec(start, "shop-web-1", List.of("env"), Map.of("K", SECRET));
    RenderedCommand rendered = exec.render(apptainer.dialect());
    assertEquals(
        List.of(
            "exec",
            "--cleanenv",
            "--env-file",
            RenderedCommand.ENV_FILE_PLACEHOLDER,
            "instance://shop-web-1",
            "env"),
        rendered.args());
    assertTrue(rendered.environment().isEmpty());
    String content = rendered.envFileContent().orElseThrow();
    assertTrue(content.contains("GREETING") && content.contains(SECRET), "both in the env file");
    assertFalse(String.join(" ", apptainer.dryRun(exec)).contains(SECRET));
  }
}
