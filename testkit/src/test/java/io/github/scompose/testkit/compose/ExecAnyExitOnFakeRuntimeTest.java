package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.InstanceCommand;
import io.github.scompose.core.errors.CommandFailedException;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec} in tests returns a result for every exit code, as Testcontainers' {@code
 * execInContainer} does (issue 14): {@link ComposeStack#exec}, {@link Compose#exec} and the
 * testkit's {@link InstanceWaitTarget#exec} give a command missing from the image as exit code 255
 * with the binary's {@code FATAL:} line, where {@link SingularityClient#exec} throws; only an
 * instance that is not running is an exception. On the in-JVM fake (SingularityCE 3.x messages).
 */
class ExecAnyExitOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private SingularityClient client() {
    fake = FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().build();
    return SingularityClient.builder()
        .transport(fake.transport())
        .binary(
            BinaryLocator.builder()
                .explicitPath(FakeDialect.SINGULARITY_CE_3_4.program())
                .build()
                .locate(fake.transport()))
        .hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", "tester"))
        .build();
  }

  private ComposeProject load() throws Exception {
    return ComposeLoader.defaults()
        .load(
            Files.writeString(
                dir.resolve("compose.yaml"),
                "name: shop\nservices:\n  app:\n    image: /images/app.sif\n"
                    + "    environment:\n      GREETING: hi\n"));
  }

  @Test
  void everyExitCodeIsAResultAndOnlyAMissingInstanceThrows() throws Exception {
    SingularityClient client = client();
    Compose compose = Compose.builder().client(client).build();
    try (ComposeStack stack = compose.up(load())) {
      assertEquals(new Result(0, "hi\n", ""), of(stack.exec("app", "sh", "-c", "echo $GREETING")));
      assertEquals(3, stack.exec("app", "sh", "-c", "exit 3").exitCode());

      CommandResult missing = stack.exec("app", "no-such-program", "--version");
      assertEquals(255, missing.exitCode());
      assertTrue(missing.stderr().contains("FATAL:"), missing.stderr());
      assertTrue(
          missing.stderr().contains("\"no-such-program\": executable file not found in $PATH"),
          missing.stderr());
      assertEquals(
          255,
          stack.exec("app", Map.of("K", "v"), "no-such-program").exitCode(),
          "with an environment too");
      assertEquals(
          255,
          compose
              .exec(
                  dir,
                  InstanceCommand.builder()
                      .instance("shop-app-1")
                      .addArgs("no-such-program")
                      .build())
              .exitCode());
      assertEquals(
          255,
          InstanceWaitTarget.builder(client, "shop-app-1")
              .build()
              .exec(List.of("no-such-program"))
              .exitCode(),
          "a wait strategy's check is a failing check, not an error");

      // the client's own exec keeps its contract: the binary's error is an exception
      assertThrows(
          CommandFailedException.class,
          () -> client.exec(Exec.inInstance("shop-app-1", "no-such-program")));
      assertEquals(
          255, client.execAnyExit(Exec.inInstance("shop-app-1", "no-such-program")).exitCode());

      stack.stop("app");
      assertThrows(InstanceNotFoundException.class, () -> stack.exec("app", "true"));
    }
  }

  record Result(int exit, String out, String err) {}

  private static Result of(CommandResult r) {
    return new Result(r.exitCode(), r.stdout(), r.stderr());
  }
}
