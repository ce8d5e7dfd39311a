package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.scompose.core.compose.InstanceNaming;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** singularity-stack's names {@code <stack>.<service>} and reading them back for {@code down}. */
class StackInstanceNamesTest {

  @Test
  void namesAsSingularityStacksInstanceList() {
    assertEquals("app.mongo", InstanceNaming.STACK.name("app", "mongo", 1));
    assertEquals("app.mongo.2", InstanceNaming.STACK.name("app", "mongo", 2));
    assertThrows(IllegalArgumentException.class, () -> InstanceNaming.STACK.name("app", "x", 0));
  }

  @Test
  void theProjectsInstancesAreFoundByName() {
    ProjectInstanceNames known =
        new ProjectInstanceNames("app", InstanceNaming.STACK, Set.of("mongo", "archivedb"));
    assertEquals(Optional.of("mongo"), known.service("app.mongo"));
    assertEquals(Optional.of("mongo"), known.service("app.mongo.3"));
    assertEquals(Optional.empty(), known.service("app.mongo.1"), "replica 1 has no suffix");
    assertEquals(Optional.empty(), known.service("app.redis"));
    assertEquals(Optional.empty(), known.service("other.mongo"));
    assertEquals(Optional.empty(), known.service("app-mongo-1"));
    ProjectInstanceNames unknown = new ProjectInstanceNames("app", InstanceNaming.STACK, Set.of());
    assertEquals(Optional.of("redis"), unknown.service("app.redis.2"));
    assertEquals(Optional.empty(), unknown.service("app."));
  }

  @Property(tries = 300)
  void everyNameReadsBackAsItsService(
      @ForAll @StringLength(min = 1, max = 12) String rawService,
      @ForAll @IntRange(min = 1, max = 50) int replica) {
    String service = rawService.replaceAll("[^a-z0-9_-]", "x");
    String name = InstanceNaming.STACK.name("stack", service, replica);
    assertEquals(
        Optional.of(service),
        new ProjectInstanceNames("stack", InstanceNaming.STACK, Set.of(service)).service(name));
  }
}
