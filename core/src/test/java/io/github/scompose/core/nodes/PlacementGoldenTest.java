package io.github.scompose.core.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.InstanceNaming;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Placements and the hosts file of every node, compared with golden files under {@code
 * src/test/resources/nodes/}. Run with {@code -Dscompose.goldens.update=true} to write them again
 * (then review the diff).
 */
class PlacementGoldenTest {

  static ComposeProject project(String yaml) {
    return ComposeLoader.defaults()
        .withProjectDirectory(Path.of("/work/shop"))
        .withProjectName("shop")
        .withEnvironment(java.util.Map.of())
        .loadString("compose.yml", yaml);
  }

  static final String SHOP =
      """
      services:
        db:
          image: docker://postgres:16
          deploy:
            placement:
              constraints: ["node.labels.disk == ssd"]
        cache:
          image: docker://redis:7
        api:
          image: docker://example/api:1
          depends_on: [db, cache]
          deploy:
            replicas: 3
        web:
          image: docker://nginx:alpine
          depends_on: [api]
          ports: ["8080:80"]
          deploy:
            placement:
              constraints: ["node.hostname == n1"]
      """;

  static final List<Node> THREE =
      NodeLabels.parse(
              """
              # label file
              n1 address=10.0.0.1 rack=a
              n2 address=10.0.0.2 disk=ssd rack=b
              n3 address=10.0.0.3 rack=b
              """,
              "nodes.txt")
          .apply(List.of(Node.parse("n1"), Node.parse("n2"), Node.parse("alice@n3:2222")));

  @Test
  void shopOnThreeNodes() throws IOException {
    Placement p = Placement.of(project(SHOP), THREE, InstanceNaming.PROJECT);
    golden("shop-three-nodes.txt", rendered(p));
  }

  @Test
  void defaultSpreadOnTwoNodes() throws IOException {
    ComposeProject chain =
        project(
            """
            services:
              a: {image: docker://busybox}
              b: {image: docker://busybox, depends_on: [a]}
              c: {image: docker://busybox, depends_on: [b], deploy: {replicas: 2}}
              d: {image: docker://busybox}
            """);
    List<Node> two = List.of(Node.parse("n1=192.168.1.1"), Node.parse("n2=192.168.1.2"));
    golden("chain-two-nodes.txt", rendered(Placement.of(chain, two, InstanceNaming.PROJECT)));
  }

  @Test
  void noEligibleNodeNamesServiceConstraintAndNodes() {
    PlacementException e =
        assertThrows(
            PlacementException.class,
            () ->
                Placement.of(
                    project(
                        """
                        services:
                          gpu:
                            image: docker://busybox
                            deploy: {placement: {constraints: ["node.labels.gpu == true"]}}
                        """),
                    THREE,
                    InstanceNaming.PROJECT));
    assertTrue(
        e.getMessage().contains("service gpu: no node satisfies node.labels.gpu == true"),
        e.getMessage());
    assertTrue(e.getMessage().contains("n2 [disk=ssd rack=b]"), e.getMessage());
  }

  @Test
  void placementKeysAreReadFromComposeFiles() {
    ComposeProject p = project(SHOP);
    assertEquals(
        List.of("node.labels.disk == ssd"), p.service("db").orElseThrow().placementConstraints());
    assertEquals(List.of(), p.warnings());
  }

  static String rendered(Placement p) {
    StringBuilder b = new StringBuilder(p.render());
    for (Node n : p.nodes()) {
      b.append("\n# hosts on ")
          .append(n.name())
          .append('\n')
          .append(p.hostsFile(n.name()).render());
    }
    return b.toString();
  }

  static void golden(String name, String actual) throws IOException {
    Path file = Path.of("src/test/resources/nodes").resolve(name);
    if (Boolean.getBoolean("scompose.goldens.update")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden " + file);
  }
}
