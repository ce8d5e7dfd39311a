package io.github.scompose.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.RuntimeChoice;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The build runs the project's tests hermetically: the runtime comes from the Maven property {@code
 * scompose.runtime} (default {@code fake}), given to the test JVM both as the system property and
 * as the variable {@code SCOMPOSE_RUNTIME} (which processes the tests start inherit), and address
 * leases go under the build folder ({@code XDG_STATE_HOME=<build>/test-state}), never into the
 * developer's own lease file.
 */
class HermeticBuildTest {

  @Test
  void theRuntimeChoiceReachesTheTestJvmAsPropertyAndVariable() {
    String property = System.getProperty(RuntimeChoice.PROPERTY);
    assertNotNull(property, "surefire sets " + RuntimeChoice.PROPERTY);
    assertEquals(property, System.getenv(RuntimeChoice.VARIABLE));
    RuntimeChoice.parse(property, "the build");
  }

  @Test
  void leasesOfTestsGoUnderTheBuildFolder() {
    String xdg = System.getenv("XDG_STATE_HOME");
    assertNotNull(xdg, "surefire sets XDG_STATE_HOME");
    Path state = Path.of(xdg);
    assertEquals("test-state", state.getFileName().toString());
    Path buildFolder = Path.of("").toAbsolutePath().resolve(state.getParent().getFileName());
    assertEquals(buildFolder, state.getParent(), "inside this module's build folder");
    assertTrue(
        ComposeWiring.system().leases().orElseThrow().file().startsWith(state),
        "the default lease file is under " + state);
  }
}
