package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.StackReuse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Opt-in stack reuse (issue 14, Testcontainers' {@code withReuse}) through the extension, on the
 * fake: with {@code reuse = true} and the machine's opt-in, a stack runs under a stable project
 * name in the session directory's {@code reused/} folder and is not brought down after the class;
 * two runs use the same project; without the opt-in, the annotation's flag changes nothing.
 */
class StackReuseExtensionTest {

  static final String ENGINE_KIT = SingularityExtensionTest.ENGINE_KIT;
  static final List<String> projects = new CopyOnWriteArrayList<>();
  static final List<FakeRuntime> fakes = new CopyOnWriteArrayList<>();

  @TempDir Path sessions;
  @TempDir Path home;

  void run(Class<?> type, String reuse) {
    System.setProperty(ENGINE_KIT, "true");
    System.setProperty(SessionRegistry.DIRECTORY_PROPERTY, sessions.toString());
    System.setProperty(StackReuse.PROPERTY, reuse);
    try {
      EngineTestKit.engine("junit-jupiter")
          .selectors(selectClass(type))
          .execute()
          .testEvents()
          .assertStatistics(s -> s.succeeded(1).failed(0));
    } finally {
      System.clearProperty(ENGINE_KIT);
      System.clearProperty(SessionRegistry.DIRECTORY_PROPERTY);
      System.clearProperty(StackReuse.PROPERTY);
    }
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class Reused {
    @ComposeStackUnderTest(file = ComposeStackExtensionTest.CHAIN, reuse = true)
    static TestComposeStack stack;

    @Test
    void runs(FakeRuntime fake) {
      fakes.add(fake);
      projects.add(stack.project().name());
      assertEquals(2, fake.instances().size());
    }
  }

  @Test
  void aReusedStackKeepsItsNameAndFolderAndIsNotBroughtDown() throws IOException {
    projects.clear();
    run(Reused.class, "true");
    String project = projects.get(0);
    assertTrue(project.matches("stacks-r[0-9a-f]{8}"), project);
    Path folder = sessions.resolve("reused").resolve(project);
    assertTrue(
        Files.isRegularFile(folder.resolve(".scompose").resolve("state.json")),
        "not brought down: its state stays for the next run");
    run(Reused.class, "true");
    assertEquals(List.of(project, project), projects, "the next run uses the same project");
    // the engine's handle still finds it: the next run (or scompose down) brings it down
    assertTrue(Files.isRegularFile(folder.resolve(".scompose").resolve("state.json")));
  }

  @Test
  void withoutTheMachinesOptInAStackIsFreshAndBroughtDown() {
    projects.clear();
    run(Reused.class, "false");
    run(Reused.class, "false");
    assertNotEquals(projects.get(0), projects.get(1));
    assertTrue(projects.get(0).matches("stacks-[0-9a-f]{6}"), projects.get(0));
    assertFalse(Files.exists(sessions.resolve("reused")));
  }

  @Test
  void theOptInComesFromThePropertyThenTheVariableThenTheSettingsFile() throws IOException {
    Path settings = home.resolve(StackReuse.SETTINGS_FILE);
    assertFalse(StackReuse.allowed(null, null, settings), "no file: off");
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, "testkit.reuse.enable = true\n");
    assertTrue(StackReuse.allowed(null, null, settings));
    assertFalse(StackReuse.allowed(null, "false", settings), "the variable wins over the file");
    assertTrue(StackReuse.allowed(null, "true", home.resolve("none")));
    assertFalse(StackReuse.allowed("false", "true", settings), "the property wins");
    Files.writeString(settings, "testkit.reuse.enable=false\n");
    assertFalse(StackReuse.allowed(null, null, settings));
  }

  @Test
  void theProjectNameIsStableAndDependsOnWhatIsBroughtUp() {
    Path a = Path.of("/p/a.yml");
    String name =
        StackReuse.projectName("shop", "real:/usr/bin/apptainer", List.of(a), List.of(), List.of());
    assertEquals(
        name,
        StackReuse.projectName(
            "shop", "real:/usr/bin/apptainer", List.of(a), List.of(), List.of()));
    assertNotEquals(
        name,
        StackReuse.projectName(
            "shop", "real:/usr/bin/apptainer", List.of(a), List.of("web"), List.of()));
    assertNotEquals(
        name,
        StackReuse.projectName(
            "shop", "real:/usr/bin/singularity", List.of(a), List.of(), List.of()));
    assertEquals(
        StackReuse.projectName("shop", "memory:1a2b", List.of(a), List.of(), List.of()),
        StackReuse.projectName("shop", "memory:ffff", List.of(a), List.of(), List.of()),
        "every in-JVM fake is one runtime");
  }
}
