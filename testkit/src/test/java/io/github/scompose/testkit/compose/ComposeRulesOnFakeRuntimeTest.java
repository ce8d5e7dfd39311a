package io.github.scompose.testkit.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeUpException;
import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules of issue 6 that {@link ComposeOnFakeRuntimeTest} and {@link ComposeFileOnFakeRuntimeTest}
 * do not cover, on the in-JVM fake with Compose files loaded from YAML: instance names of replicas
 * (default and the reference tool's), {@code up} of named services, named volumes kept across
 * {@code down} and removed by {@code down(dir, true)}, secrets refused unless owner-only and bound
 * read-only, environment through the process environment and never argv.
 */
class ComposeRulesOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;
  private WatchingTransport transport;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private Compose engine(FakeDialect dialect) {
    fake = FakeRuntime.builder().dialect(dialect).anyImageExists().build();
    transport = new WatchingTransport(fake.transport());
    SingularityClient client =
        SingularityClient.builder()
            .transport(transport)
            .binary(
                BinaryLocator.builder()
                    .explicitPath(dialect.program())
                    .build()
                    .locate(fake.transport()))
            .hostIdentity(HostIdentity.of(fake.homeDirectory(), "fakehost", "tester"))
            .build();
    return Compose.builder().client(client).build();
  }

  private Compose engine() {
    return engine(FakeDialect.APPTAINER_1);
  }

  private ComposeProject load(String yaml) throws IOException {
    return ComposeLoader.defaults().load(Files.writeString(dir.resolve("compose.yaml"), yaml));
  }

  private Set<String> listed() {
    return fake.instances().stream().map(FakeInstance::name).collect(Collectors.toSet());
  }

  private String options(String instance) {
    return String.join(" ", fake.instance(instance).orElseThrow().options());
  }

  private void assertNoArgvContains(String text) {
    synchronized (transport.commands) {
      for (List<String> argv : transport.commands) {
        assertFalse(String.join(" ", argv).contains(text), () -> text + " in argv " + argv);
      }
    }
  }

  // ---- names

  private static final String REPLICAS =
      """
      name: shop
      services:
        db:
          image: /images/db.sif
        web:
          image: /images/web.sif
          depends_on: [db]
          deploy:
            replicas: 3
      """;

  @Test
  void replicasAreNamedProjectServiceN() throws IOException {
    try (ComposeStack stack = engine().up(load(REPLICAS))) {
      assertEquals(Set.of("shop-db-1", "shop-web-1", "shop-web-2", "shop-web-3"), listed());
      assertEquals(List.of("shop-web-1", "shop-web-2", "shop-web-3"), stack.instances("web"));
      assertEquals(List.of("shop-db-1"), stack.instances("db"));
      assertEquals(List.of(), stack.instances("nosuch"));
    }
    assertEquals(Set.of(), listed());
  }

  @Test
  void theReferenceNamingGivesServiceN() throws IOException {
    Compose compose = engine();
    ComposeProject project = load(REPLICAS);
    try (ComposeStack stack =
        compose.up(project, PlanOptions.builder().naming(InstanceNaming.REFERENCE).build())) {
      assertEquals(Set.of("db1", "web1", "web2", "web3"), listed());
      assertEquals(List.of("web1", "web2", "web3"), stack.instances("web"));
    }
    assertEquals(Set.of(), listed());
  }

  @Test
  void upOfNamedServicesStartsThemAndWhatTheyDependOnOnly() throws IOException {
    ComposeProject project =
        load(
            """
            name: shop
            services:
              db:
                image: /images/db.sif
              app:
                image: /images/app.sif
                depends_on: [db]
              web:
                image: /images/web.sif
                depends_on: [app]
              batch:
                image: /images/batch.sif
            """);
    try (ComposeStack stack =
        engine().up(project, PlanOptions.builder().addServices("app").build())) {
      assertEquals(Set.of("shop-db-1", "shop-app-1"), listed());
      assertEquals(2, stack.ps().size());
    }
    assertEquals(0, transport.starts("shop-web-1"));
    assertEquals(0, transport.starts("shop-batch-1"));
  }

  // ---- volumes

  @Test
  void namedVolumesAreKeptAcrossDownAndRemovedOnlyByDownWithVolumes() throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(conf.resolve("db.conf"), "max_connections = 10\n");
    ComposeProject project =
        load(
            """
            name: shop
            services:
              db:
                image: /images/db.sif
                volumes:
                  - dbdata:/var/lib/db
                  - ./conf:/etc/db:ro
            volumes:
              dbdata: {}
            """);
    Path volume = dir.resolve(".scompose/volumes/dbdata");
    Compose compose = engine();
    try (ComposeStack stack = compose.up(project)) {
      assertTrue(Files.isDirectory(volume), "a named volume is a folder in the state directory");
      String options = options("shop-db-1");
      assertTrue(options.contains("--bind " + volume + ":/var/lib/db"), options);
      assertTrue(options.contains("--bind " + conf + ":/etc/db:ro"), options);
      Files.writeString(volume.resolve("table.dat"), "rows"); // what the database wrote
    }
    assertEquals(Set.of(), listed());
    assertEquals("rows", Files.readString(volume.resolve("table.dat")), "kept across down");

    compose.up(project).close(); // a second up finds the volume as it was left
    assertEquals("rows", Files.readString(volume.resolve("table.dat")));

    compose.up(project);
    compose.down(dir, true);
    assertEquals(Set.of(), listed());
    assertFalse(Files.exists(dir.resolve(".scompose/volumes")), "down --volumes removes them");
    assertEquals("max_connections = 10\n", Files.readString(conf.resolve("db.conf")));
    assertTrue(Files.exists(dir.resolve("compose.yaml")), "the user's files stay");
  }

  // ---- hosts file

  @Test
  void theHostsFileIsWrittenIntoTheStateDirectoryAndBoundAtEtcHosts() throws IOException {
    try (ComposeStack stack = engine().up(load(REPLICAS))) {
      Path hosts = dir.resolve(".scompose/etc.hosts");
      String text = Files.readString(hosts);
      for (String name : List.of("shop-db-1", "shop-web-1", "shop-web-2", "shop-web-3")) {
        assertTrue(text.contains(name), name + " in\n" + text);
      }
      assertTrue(text.contains("127.0.0.1"), "host networking (rootless): names are loopback");
      assertTrue(options("shop-web-2").contains("--bind " + hosts + ":/etc/hosts"));
      assertFalse(Files.exists(dir.resolve("etc.hosts")), "nothing written into the project");
    }
  }

  /**
   * Issue 6: "The hosts and resolv.conf files are written into the project's state directory
   * atomically and bound read-only." The planner binds them read-write, like singularity-compose
   * 0.1.19 ({@code --bind WD/etc.hosts:/etc/hosts}), and its list of deliberate differences does
   * not mention it.
   */
  @Test
  void theHostsFileIsBoundReadOnly() throws IOException {
    try (ComposeStack stack = engine().up(load(REPLICAS))) {
      Path hosts = dir.resolve(".scompose/etc.hosts");
      assertTrue(
          options("shop-db-1").contains("--bind " + hosts + ":/etc/hosts:ro"),
          options("shop-db-1"));
    }
  }

  // ---- secrets

  private static final String SECRETS =
      """
      name: shop
      services:
        db:
          image: /images/db.sif
        app:
          image: /images/app.sif
          depends_on: [db]
          secrets: [db_password]
      secrets:
        db_password:
          file: ./db_password.txt
      """;

  @Test
  void aSecretReadableByOthersIsRefusedBeforeAnythingStarts() throws IOException {
    Path secret = Files.writeString(dir.resolve("db_password.txt"), "hunter2-secret-value");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
    Compose compose = engine();
    ComposeProject project = load(SECRETS);
    ComposeUpException e = assertThrows(ComposeUpException.class, () -> compose.up(project));
    assertTrue(e.getMessage().contains(secret.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("owner-only"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), "the secret's content is never in a message");
    assertEquals(0, transport.count("instance", "start"), "refused before any start");
    assertEquals(Set.of(), listed());
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")));
    assertEquals("hunter2-secret-value", Files.readString(secret), "the user's file is untouched");

    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    try (ComposeStack stack = compose.up(project)) {
      assertTrue(
          options("shop-app-1").contains("--bind " + secret + ":/run/secrets/db_password:ro"),
          options("shop-app-1"));
      assertFalse(options("shop-db-1").contains("/run/secrets"), "only the services that ask");
      assertNoArgvContains("hunter2");
    }
  }

  // ---- environment

  private static final String ENVIRONMENT =
      """
      name: shop
      services:
        app:
          image: /images/app.sif
          environment:
            DB_PASSWORD: s3cr3t-in-env
            GREETING: hello world
      """;

  @Test
  void environmentReachesTheInstanceButNeverArgvOnSingularityCe34() throws IOException {
    try (ComposeStack stack = engine(FakeDialect.SINGULARITY_CE_3_4).up(load(ENVIRONMENT))) {
      FakeInstance app = fake.instance("shop-app-1").orElseThrow();
      assertEquals("s3cr3t-in-env", app.environment().get("DB_PASSWORD"));
      assertEquals("hello world", app.environment().get("GREETING"));
      assertNoArgvContains("s3cr3t-in-env");
      assertNoArgvContains("hello world");
    }
  }

  /**
   * As recorded on SingularityCE 3.4.2 ({@code 06-env-tmpfs.txt}): a variable given to {@code
   * instance start} is empty in a later {@code exec instance://} that does not inject it again. The
   * engine's {@code exec} injects the start's environment again ({@code SINGULARITYENV_} in the
   * binary's environment; 3.4.2 has no {@code --env}), and extra variables override it.
   */
  @Test
  void execSeesTheServiceEnvironmentOnSingularityCe34WhereTheBinaryAloneDoesNot()
      throws IOException {
    try (ComposeStack stack = engine(FakeDialect.SINGULARITY_CE_3_4).up(load(ENVIRONMENT))) {
      CommandResult bare =
          fake.execute("exec", "instance://shop-app-1", "sh", "-c", "echo $GREETING");
      assertEquals("\n", bare.stdout(), "the binary alone: empty, as recorded");
      assertEquals("hello world\n", stack.exec("app", "sh", "-c", "echo $GREETING").stdout());
      assertTrue(stack.exec("app", "env").stdout().contains("DB_PASSWORD=s3cr3t-in-env\n"));
      assertEquals(
          "other\n",
          stack.exec("app", Map.of("GREETING", "other"), "sh", "-c", "echo $GREETING").stdout());
      assertNoArgvContains("s3cr3t-in-env");
      assertNoArgvContains("hello world");
    }
  }

  /** On Apptainer the same through the owner-only env file. */
  @Test
  void execSeesTheServiceEnvironmentOnApptainer() throws IOException {
    try (ComposeStack stack = engine(FakeDialect.APPTAINER_1).up(load(ENVIRONMENT))) {
      assertEquals("hello world\n", stack.exec("app", "sh", "-c", "echo $GREETING").stdout());
      assertEquals(
          "other\n",
          stack.exec("app", Map.of("GREETING", "other"), "printenv", "GREETING").stdout());
      assertNoArgvContains("s3cr3t-in-env");
      assertNoArgvContains("hello world");
    }
  }

  /**
   * The default dialect (Apptainer 1.x) passes environment with {@code --env-file}: the client
   * writes that owner-only file with {@code Transport.writeFile} (on the in-JVM fake: on this
   * host), so the values reach the instance and no command line carries them.
   */
  @Test
  void environmentReachesTheInstanceButNeverArgvOnApptainer() throws IOException {
    try (ComposeStack stack = engine(FakeDialect.APPTAINER_1).up(load(ENVIRONMENT))) {
      FakeInstance app = fake.instance("shop-app-1").orElseThrow();
      assertEquals("s3cr3t-in-env", app.environment().get("DB_PASSWORD"));
      assertEquals("hello world", app.environment().get("GREETING"));
      assertNoArgvContains("s3cr3t-in-env");
    }
  }
}
