package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.ImageCache;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.compose.ServiceImage;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit's use of the image cache (issue 14): a stack's pulled image is linked from the cache
 * into the stack's state folder, so that {@code up} finds it and a second session (another state
 * folder) pulls nothing. With the out-of-process emulator behind a local transport, as a real
 * binary would be; and off on the in-JVM fake or when asked.
 */
class SessionImagesTest {

  @TempDir Path dir;
  private FakeRuntime fake;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private PlanOptions options(String session) {
    return PlanOptions.builder()
        .stateDirectoryName(dir.resolve(session).resolve(".scompose").toString())
        .build();
  }

  @Test
  void aSecondSessionLinksTheCachedImageAndPullsNothing() throws Exception {
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .stateDirectory(dir.resolve("state"))
            .build();
    Path program = fake.installExecutable(dir.resolve("bin"), "singularity");
    Transport transport = LocalProcessTransport.create();
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                BinaryLocator.builder().explicitPath(program.toString()).build().locate(transport))
            .hostIdentity(HostIdentity.of("/home/tester", "fakehost", "tester"))
            .build();
    Compose compose =
        Compose.builder()
            .client(client)
            .facts(RuntimeFacts.builder().dialect(client.dialect()).build())
            .build();
    Path folder = Files.createDirectories(dir.resolve("project"));
    ComposeProject project =
        ComposeLoader.defaults()
            .load(
                Files.writeString(
                    folder.resolve("compose.yaml"),
                    "name: cached\nservices:\n  app:\n    image: alpine:3.19\n"));
    ImageCache cache = ImageCache.in(dir.resolve("cache"));

    SessionImages.prepare(cache, client, compose, project, options("first"));
    Path cached = cache.path("docker://alpine:3.19");
    assertTrue(Files.isRegularFile(cached));
    ServiceImage first = compose.images(project, options("first")).get(0);
    assertTrue(first.present(), "up finds the image: " + first);
    assertTrue(Files.isSameFile(cached, Path.of(first.path())));

    // the next session: no pull (the cached file is the very same one), only a link
    Files.setLastModifiedTime(cached, FileTime.fromMillis(0));
    SessionImages.prepare(cache, client, compose, project, options("second"));
    ServiceImage second = compose.images(project, options("second")).get(0);
    assertTrue(second.present());
    assertTrue(Files.isSameFile(cached, Path.of(second.path())));
    assertEquals(0, Files.getLastModifiedTime(cached).toMillis());

    // deleting a session's state folder leaves the cache alone
    Files.delete(Path.of(first.path()));
    assertTrue(Files.isRegularFile(cached));
  }

  @Test
  void theCacheIsOffOnTheInJvmFakeAndWhenAsked() {
    fake = FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).build();
    SingularityClient inJvm =
        SingularityClient.builder()
            .transport(fake.transport())
            .binary(
                BinaryLocator.builder()
                    .explicitPath(FakeDialect.SINGULARITY_CE_3_4.program())
                    .build()
                    .locate(fake.transport()))
            .build();
    assertTrue(SessionImages.cache(inJvm, Map.of(), Map.of()).isEmpty());
    assertEquals("docker://x", SessionImages.image(inJvm, "docker://x"));
  }

  @Test
  void theFolderComesFromThePropertyThenTheVariable() {
    SingularityClient local =
        SingularityClient.builder()
            .transport(LocalProcessTransport.create())
            .binary(
                io.github.scompose.core.client.SingularityBinary.of(
                    "/usr/bin/singularity",
                    io.github.scompose.core.client.BinaryVersion.parse(
                        "singularity version 3.4.2")))
            .build();
    assertEquals(
        Path.of("/p"),
        SessionImages.cache(
                local, Map.of(SessionImages.PROPERTY, "/p"), Map.of(SessionImages.VARIABLE, "/v"))
            .orElseThrow()
            .directory());
    assertEquals(
        Path.of("/v"),
        SessionImages.cache(local, Map.of(), Map.of(SessionImages.VARIABLE, "/v"))
            .orElseThrow()
            .directory());
    assertFalse(
        SessionImages.cache(local, Map.of(SessionImages.PROPERTY, "off"), Map.of()).isPresent());
    assertEquals(
        Path.of("/x/scompose/images"),
        SessionImages.cache(local, Map.of(), Map.of("XDG_CACHE_HOME", "/x"))
            .orElseThrow()
            .directory());
  }
}
