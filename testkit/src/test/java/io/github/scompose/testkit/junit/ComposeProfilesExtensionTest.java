package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.scompose.testkit.FakeInstance;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link ComposeStackUnderTest#profiles()}: a profiled service starts only with its profile. */
class ComposeProfilesExtensionTest {

  static final String ENGINE_KIT = SingularityExtensionTest.ENGINE_KIT;
  static final String PROFILES =
      "src/test/java/io/github/scompose/testkit/junit/stacks/profiles.yml";
  static final List<List<String>> seen = new CopyOnWriteArrayList<>();

  @TempDir Path sessions;

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class Stacks {
    @ComposeStackUnderTest(file = PROFILES, project = "plain")
    TestComposeStack plain;

    @ComposeStackUnderTest(file = PROFILES, project = "debugging", profiles = "debug")
    TestComposeStack debugging;

    @Test
    void started(FakeRuntime fake) {
      seen.add(fake.instances().stream().map(FakeInstance::name).sorted().toList());
    }
  }

  @Test
  void onlyTheDeclaredProfileAddsItsService() {
    seen.clear();
    System.setProperty(ENGINE_KIT, "true");
    System.setProperty(SessionRegistry.DIRECTORY_PROPERTY, sessions.toString());
    try {
      EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(Stacks.class))
          .execute()
          .testEvents()
          .assertStatistics(s -> s.succeeded(1).failed(0));
    } finally {
      System.clearProperty(ENGINE_KIT);
      System.clearProperty(SessionRegistry.DIRECTORY_PROPERTY);
    }
    assertEquals(List.of(List.of("debugging-db-1", "debugging-debug-1", "plain-db-1")), seen);
  }
}
