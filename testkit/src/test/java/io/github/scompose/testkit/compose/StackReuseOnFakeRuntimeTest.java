package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.StackReuse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What stack reuse relies on (issue 14), on one in-JVM fake that outlives two "runs": bringing the
 * same project up again in its reuse folder adopts the running instances whose configuration hash
 * is unchanged (no {@code instance start}), and recreates only the instance whose configuration
 * changed.
 */
class StackReuseOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;

  @AfterEach
  void closeFake() {
    fake.close();
  }

  @Test
  void aSecondUpAdoptsTheRunningStackAndRecreatesOnlyWhatChanged() throws IOException {
    fake = FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().build();
    WatchingTransport transport = new WatchingTransport(fake.transport());
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                BinaryLocator.builder()
                    .explicitPath(FakeDialect.SINGULARITY_CE_3_4.program())
                    .build()
                    .locate(fake.transport()))
            .hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", "tester"))
            .build();
    Compose compose =
        Compose.builder()
            .client(client)
            .facts(RuntimeFacts.builder().dialect(client.dialect()).build())
            .build();
    Path file = dir.resolve("project").resolve("compose.yaml");
    Files.createDirectories(file.getParent());
    String yaml =
        """
        services:
          db:
            image: /images/db.sif
          app:
            image: /images/app.sif
            environment: {MODE: "%s"}
            depends_on: [db]
        """;
    Files.writeString(file, yaml.formatted("one"));
    String name =
        StackReuse.projectName("project", "memory:x", List.of(file), List.of(), List.of());
    Path folder = StackReuse.directory(SessionRegistry.in(dir.resolve("sessions")), name);
    PlanOptions options =
        PlanOptions.builder()
            .stateDirectoryName(folder.resolve(PlanOptions.STATE_DIRECTORY).toString())
            .build();

    ComposeProject first = ComposeLoader.defaults().load(file).withName(name);
    compose.up(first, options); // a run that ends without bringing it down
    assertEquals(2, transport.count("instance", "start"));
    long appPid = fake.instance(name + "-app-1").orElseThrow().pid();

    ComposeStack adopted = compose.up(first, options); // the next run
    assertEquals(2, transport.count("instance", "start"), "adopted: nothing started");
    assertEquals(appPid, fake.instance(name + "-app-1").orElseThrow().pid());

    Files.writeString(file, yaml.formatted("two"));
    ComposeProject changed = ComposeLoader.defaults().load(file).withName(name);
    try (ComposeStack again = compose.up(changed, options)) {
      assertEquals(3, transport.count("instance", "start"), "only the changed app is recreated");
      assertEquals("two", fake.instance(name + "-app-1").orElseThrow().environment().get("MODE"));
      assertEquals(adopted.project(), again.project());
    }
  }
}
