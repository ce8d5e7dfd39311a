package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose engine over the testkit's in-JVM fake runtime (issue 6's tests on the fake): order,
 * teardown that leaves nothing, rollback of a failed {@code up}, two projects side by side.
 */
class ComposeFileOnFakeRuntimeTest {

  private static final String CHAIN =
      """
      services:
        db:
          image: /images/db.sif
        app:
          image: /images/app.sif
          depends_on: [db]
        web:
          image: /images/web.sif
          depends_on: [app]
      """;

  @TempDir Path dir;

  private FakeRuntime fake;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private Compose compose(FakeRuntime runtime, List<ComposeEvent> events) {
    SingularityClient client =
        SingularityClient.builder()
            .transport(runtime.transport())
            .binary(
                BinaryLocator.builder()
                    .explicitPath("apptainer")
                    .build()
                    .locate(runtime.transport()))
            .hostIdentity(HostIdentity.of(runtime.homeDirectory(), "fakehost", "tester"))
            .build();
    return Compose.builder().client(client).listener(events::add).build();
  }

  private ComposeProject project(String name) throws IOException {
    Path projectDir = Files.createDirectories(dir.resolve(name));
    Path file = Files.writeString(projectDir.resolve("compose.yaml"), CHAIN);
    return ComposeLoader.defaults().load(file);
  }

  private static List<String> names(List<ComposeEvent> events, ComposeEvent.Type type) {
    return events.stream()
        .filter(e -> e.type() == type)
        .flatMap(e -> e.instance().stream())
        .collect(Collectors.toList());
  }

  @Test
  void upStartsInDependencyOrderAndDownLeavesNothingRunning() throws IOException {
    fake = FakeRuntime.builder().anyImageExists().build();
    List<ComposeEvent> events = new CopyOnWriteArrayList<>();
    Compose compose = compose(fake, events);

    try (ComposeStack stack = compose.up(project("shop"))) {
      assertEquals(
          List.of("shop-db-1", "shop-app-1", "shop-web-1"),
          names(events, ComposeEvent.Type.STARTED));
      assertEquals(
          List.of("shop-app-1", "shop-db-1", "shop-web-1"),
          fake.instances().stream().map(FakeInstance::name).sorted().toList());
      assertEquals(3, stack.ps().size());
    }
    assertTrue(fake.instances().isEmpty(), () -> "left running: " + fake.instances());
    assertEquals(
        List.of("shop-web-1", "shop-app-1", "shop-db-1"), names(events, ComposeEvent.Type.STOPPED));
  }

  @Test
  void aFailedStartStopsEverythingThisUpStarted() throws IOException {
    fake =
        FakeRuntime.builder()
            .anyImageExists()
            .failStart("shop-web-1", 255, "FATAL:   could not open image /images/web.sif")
            .build();
    List<ComposeEvent> events = new CopyOnWriteArrayList<>();
    Compose compose = compose(fake, events);
    ComposeProject shop = project("shop");

    ComposeUpException failure = assertThrows(ComposeUpException.class, () -> compose.up(shop));

    assertTrue(failure.getMessage().contains("shop-web-1"), failure.getMessage());
    assertTrue(fake.instances().isEmpty(), () -> "left running: " + fake.instances());
    assertEquals(List.of("shop-db-1", "shop-app-1"), names(events, ComposeEvent.Type.STARTED));
  }

  @Test
  void twoProjectsRunSideBySideWithDistinctInstanceNames() throws IOException {
    fake = FakeRuntime.builder().anyImageExists().build();
    List<ComposeEvent> events = new CopyOnWriteArrayList<>();
    Compose compose = compose(fake, events);

    try (ComposeStack first = compose.up(project("alpha"));
        ComposeStack second = compose.up(project("beta"))) {
      assertEquals(6, fake.instances().size());
      assertTrue(fake.instance("alpha-web-1").isPresent());
      assertTrue(fake.instance("beta-web-1").isPresent());
    }
    assertTrue(fake.instances().isEmpty(), () -> "left running: " + fake.instances());
  }
}
