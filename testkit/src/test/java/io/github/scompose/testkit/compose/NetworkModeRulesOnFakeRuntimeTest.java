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
import io.github.scompose.core.compose.RuntimeFacts;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.network.NetworkModeException;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 2, through the engine on the in-JVM fake (SingularityCE 3.4.2): a published port
 * the chosen network mode cannot honour is an error before anything starts, naming the service, the
 * mapping and why the mode is what it is; a privileged port of a rootless project is reported as
 * privileged, not as in use; root and fakeroot publish the same mapping through portmap. The
 * privileged threshold is injected (1024), so the host's {@code ip_unprivileged_port_start} does
 * not matter.
 */
class NetworkModeRulesOnFakeRuntimeTest {

  @TempDir Path dir;
  private FakeRuntime fake;
  private WatchingTransport transport;

  @AfterEach
  void closeFake() {
    if (fake != null) {
      fake.close();
    }
  }

  private Compose engine(boolean root, boolean fakeroot) {
    fake = FakeRuntime.builder().dialect(FakeDialect.SINGULARITY_CE_3_4).anyImageExists().build();
    transport = new WatchingTransport(fake.transport());
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
    return Compose.builder()
        .client(client)
        .facts(
            RuntimeFacts.builder()
                .dialect(client.dialect())
                .root(root)
                .fakerootAllowed(fakeroot)
                .build())
        .networkPlanner(
            NetworkPlanner.create().withHostPorts(fake.hostPorts()).withUnprivilegedPortStart(1024))
        .build();
  }

  private ComposeProject load(String yaml) throws IOException {
    return ComposeLoader.defaults().load(Files.writeString(dir.resolve("compose.yaml"), yaml));
  }

  private static String web(String port) {
    return """
        name: proj
        services:
          db:
            image: /images/db.sif
          web:
            image: /images/web.sif
            depends_on: [db]
            ports: ["%s"]
        """
        .formatted(port);
  }

  /** The error of {@code up}, after checking that nothing was started or even asked to start. */
  private String refused(Compose compose, ComposeProject project) {
    NetworkModeException e = assertThrows(NetworkModeException.class, () -> compose.up(project));
    assertEquals(List.of(), fake.instances());
    synchronized (transport.commands) {
      for (List<String> argv : transport.commands) {
        assertFalse(argv.contains("start"), () -> "started: " + argv);
      }
    }
    assertFalse(Files.exists(dir.resolve(".scompose/state.json")), "no state written");
    assertEquals(1, e.problems().size(), e.problems().toString());
    return e.getMessage();
  }

  @Test
  void rootlessHostNetworkingRefusesARemappedPrivilegedPortAsPrivilegedNotInUse()
      throws IOException {
    assertEquals(
        "service web: ports \"18090:80\" cannot be published: host networking (not root, no"
            + " fakeroot) shares the host's ports, so the instance listens on 80 itself, and 80 is"
            + " a privileged port (below 1024, net.ipv4.ip_unprivileged_port_start) that an"
            + " instance not run by root cannot listen on; make the service listen on a port of"
            + " 1024 or above, or run as root for a bridge with portmap",
        refused(engine(false, false), load(web("18090:80"))));
  }

  @Test
  void rootlessHostNetworkingRefusesARemappedPort() throws IOException {
    assertEquals(
        "service web: ports \"18090:8080\" cannot be published: host networking (not root, no"
            + " fakeroot) shares the host's ports, so the instance listens on 8080 itself; publish"
            + " \"8080:8080\", or run as root for a bridge with portmap",
        refused(engine(false, false), load(web("18090:8080"))));
  }

  @Test
  void rootlessHostNetworkingPublishesAnUnprivilegedPortAsItIs() throws IOException {
    Compose compose = engine(false, false);
    UpPlan plan = compose.plan(load(web("8080:8080")));
    assertEquals("not root and no fakeroot: host networking", plan.network().reason());
    assertEquals(8080, plan.network().instance("proj-web-1").ports().get(0).hostPort());
  }

  @Test
  void rootAndFakerootPublishTheSameMappingThroughPortmap() throws IOException {
    for (boolean root : new boolean[] {true, false}) {
      Compose compose = engine(root, !root);
      try (ComposeStack stack = compose.up(load(web("18090:80")))) {
        String options =
            String.join(" ", fake.instance("proj-web-1").map(FakeInstance::options).orElseThrow());
        assertTrue(options.contains("--network-args portmap=18090:80/tcp"), options);
        assertTrue(
            options.contains(root ? "--network bridge" : "--network fakeroot"), root + options);
        assertEquals(2, stack.ps().size());
      }
      fake.close();
      fake = null;
    }
  }

  @Test
  void anInstanceWithoutNetworkRefusesARemappedPortEvenAsRoot() throws IOException {
    ComposeProject project =
        ComposeLoader.defaults()
            .load(
                Files.writeString(
                    dir.resolve("singularity-compose.yml"),
                    """
                    version: "2.0"
                    instances:
                      app:
                        image: /images/app.sif
                      proxy:
                        image: /images/proxy.sif
                        network:
                          enable: false
                        ports:
                          - 8443:443
                    """));
    assertEquals(
        "service proxy: ports \"8443:443\" cannot be published: the instance stays in the host's"
            + " network (network.enable: false), which shares the host's ports, so the instance"
            + " listens on 443 itself; publish \"443:443\", or enable the service's network for a"
            + " bridge with portmap",
        refused(engine(true, false), project));
  }

  @Test
  void aHostnameThatHostNetworkingCannotSetIsNoted() throws IOException {
    UpPlan plan =
        engine(false, false)
            .plan(
                load(
                    """
                    name: proj
                    services:
                      web:
                        image: /images/web.sif
                        hostname: front
                    """));
    assertEquals(
        List.of(
            "service 'web': hostname front is not set: not root and no fakeroot: host networking,"
                + " and keeps the host's name"),
        plan.notes());
  }

  @Test
  void composeNetworkModeHostIsHonouredAndItsPortsChecked() throws IOException {
    String yaml =
        """
        name: proj
        services:
          web:
            image: /images/web.sif
            network_mode: host
            ports: ["%s"]
        """;
    Compose root = engine(true, false);
    UpPlan plan = root.plan(load(yaml.formatted("80:80")));
    assertEquals("host networking: network type host of service web", plan.network().reason());
    assertEquals(List.of(), plan.instances().get(0).start().networkArgs());
    assertEquals(
        "service web: ports \"8080:80\" cannot be published: host networking (network type host"
            + " of service web) shares the host's ports, so the instance listens on 80 itself;"
            + " publish \"80:80\", or use a bridge network (as root, or with fakeroot) for portmap",
        refused(root, load(yaml.formatted("8080:80"))));
  }
}
