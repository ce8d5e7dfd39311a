package io.github.scompose.samples.serve;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeRunscript;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A served folder on the fake runtime (SingularityCE 3.4 dialect): {@code hello-name.sif} (the
 * recorded hello-name image: its labels, runscript text and behaviour, plus a secret-looking
 * label), {@code plain.sif} (no labels), {@code slow.sif} (a run that never ends), {@code gate.sif}
 * (a run that waits for {@link #GATE}), a sandbox folder, and files that must not be listed.
 */
final class ServeFixture implements AutoCloseable {

  /** The hello-name runscript text as {@code build} makes it from hello-name.def. */
  static final String HELLO_RUNSCRIPT =
      "#!/bin/sh\n\nname=\"\"; age=\"\"; weight=\"\"; dino=0\necho \"$out\"\n\n";

  static final String SECRET = "s3cret-value-42";

  /** Counts runs of {@code hello-name.sif}. */
  static final AtomicInteger HELLO_RUNS = new AtomicInteger();

  static volatile CountDownLatch gateEntered = new CountDownLatch(1);
  static volatile CountDownLatch gateRelease = new CountDownLatch(1);

  /** Counts, then answers as the recorded hello-name runscript. */
  static final class CountingHelloName implements FakeRunscript {
    private static final long serialVersionUID = 1L;

    @Override
    public ScriptedResponse run(List<String> args, Map<String, String> environment) {
      HELLO_RUNS.incrementAndGet();
      return FakeRunscript.helloName().run(args, environment);
    }
  }

  /** Blocks until released. */
  static final class Gate implements FakeRunscript {
    private static final long serialVersionUID = 1L;

    @Override
    public ScriptedResponse run(List<String> args, Map<String, String> environment) {
      gateEntered.countDown();
      try {
        gateRelease.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ScriptedResponse.ok("{\"gate\": \"open\"}");
    }
  }

  final Path folder;
  final FakeRuntime fake;
  final SingularityClient client;
  final Transport transport;

  ServeFixture(Path temp) throws IOException {
    folder = Files.createDirectories(temp.resolve("images"));
    for (String f :
        List.of(
            "hello-name.sif",
            "plain.sif",
            "slow.sif",
            "gate.sif",
            "notes.txt",
            ".hidden.sif",
            "old.simg")) {
      Files.writeString(folder.resolve(f), "fake image " + f + "\n");
    }
    Files.createDirectories(folder.resolve("sandbox1/.singularity.d"));
    Files.createDirectories(folder.resolve("just-a-folder"));
    Files.writeString(temp.resolve("outside.sif"), "outside\n");
    gateEntered = new CountDownLatch(1);
    gateRelease = new CountDownLatch(1);
    fake =
        FakeRuntime.builder()
            .dialect(FakeDialect.SINGULARITY_CE_3_4)
            .anyImageExists()
            .image(helloName(folder.resolve("hello-name.sif").toString()))
            .image(
                FakeImage.builder()
                    .path(folder.resolve("gate.sif").toString())
                    .putLabel("SINGULARITY_RUNSCRIPT_ARG_STR", "name")
                    .runscriptBehaviour(new Gate())
                    .build())
            .respondToRun(folder.resolve("slow.sif").toString(), List.of(), ScriptedResponse.hang())
            .build();
    transport = fake.transport();
    client =
        SingularityClient.builder()
            .transport(transport)
            .binary(BinaryLocator.builder().explicitPath("singularity").build().locate(transport))
            .build();
  }

  static FakeImage helloName(String path) {
    return FakeImage.builder()
        .path(path)
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_STR", "name")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_INT", "age")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_FLOAT", "weight")
        .putLabel("SINGULARITY_RUNSCRIPT_ARG_BOOL", "is_dino")
        .putLabel("org.label-schema.schema-version", "1.0")
        .putLabel("org.label-schema.usage.singularity.version", "3.4.2")
        .putLabel("API_TOKEN", SECRET)
        .runscript(HELLO_RUNSCRIPT)
        .runscriptBehaviour(new CountingHelloName())
        .build();
  }

  ImageCatalog catalog(int maxParallel, Duration runTimeout) {
    return new ImageCatalog(new ImageFolder(folder), client, maxParallel, runTimeout);
  }

  @Override
  public void close() {
    gateRelease.countDown();
    transport.close();
    fake.close();
  }
}
