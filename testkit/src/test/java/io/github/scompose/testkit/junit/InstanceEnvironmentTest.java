package io.github.scompose.testkit.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeRuntime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code @InstanceUnderTest(environment = …)}: the entries reach the instance's startscript as the
 * binary's {@code SINGULARITYENV_} variables (never in argv) and {@code exec} sees them; a
 * malformed entry is a configuration error that names its position, not its value.
 */
class InstanceEnvironmentTest {

  static final String ENGINE_KIT = SingularityExtensionTest.ENGINE_KIT;
  static final List<String> seen = new CopyOnWriteArrayList<>();

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class WithEnvironment {
    @InstanceUnderTest(
        image = "/images/env.sif",
        environment = {"GREETING=hello", "EMPTY=", "URL=http://x/?a=b", "GREETING=hi"})
    static TestInstanceHandle app;

    static FakeRuntime.Builder fakeRuntime() {
      return FakeRuntime.builder()
          .image(
              FakeImage.builder()
                  .path("/images/env.sif")
                  .addStartscriptStdout("startscript GREETING=$GREETING URL=$URL EMPTY=[$EMPTY]")
                  .build());
    }

    @Test
    void theInstanceSeesTheEnvironment(FakeRuntime fake) {
      seen.add(app.stdoutLog());
      seen.add(app.exec("printenv", "GREETING").stdout());
      seen.add(app.exec("printenv", "URL").stdout());
      var instance = fake.instance("app").orElseThrow();
      seen.add(instance.options() + " " + instance.arguments());
    }
  }

  @Test
  void environmentEntriesReachTheStartscriptAndExec() {
    seen.clear();
    SingularityExtensionTest.run(WithEnvironment.class)
        .assertStatistics(s -> s.succeeded(3).failed(0));
    assertEquals("startscript GREETING=hi URL=http://x/?a=b EMPTY=[]\n", seen.get(0));
    assertEquals("hi\n", seen.get(1), "a later entry of the same key wins");
    assertEquals("http://x/?a=b\n", seen.get(2), "split at the first '='");
    assertEquals("[] []", seen.get(3), "no value in argv");
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class NoEquals {
    @InstanceUnderTest(
        image = "/images/env.sif",
        environment = {"A=1", "secret-without-equals"})
    TestInstanceHandle app;

    @Test
    void neverRuns() {}
  }

  @EnabledIfSystemProperty(named = ENGINE_KIT, matches = "true")
  @SingularityTest(runtime = "fake")
  static class BadKey {
    @InstanceUnderTest(
        image = "/images/env.sif",
        environment = {"1A=x"})
    TestInstanceHandle app;

    @Test
    void neverRuns() {}
  }

  @Test
  void aMalformedEntryIsAConfigurationErrorNamingItsPositionNotItsValue() {
    Events noEquals = SingularityExtensionTest.run(NoEquals.class);
    noEquals.assertStatistics(s -> s.failed(1));
    noEquals
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(m -> m.contains("entry 2 has no '='") && !m.contains("secret")))));
    assertTrue(SingularityExtensionTest.leftInSession.isEmpty(), "nothing was started");
    SingularityExtensionTest.run(BadKey.class)
        .assertThatEvents()
        .haveExactly(
            1,
            event(
                finishedWithFailure(
                    instanceOf(ExtensionConfigurationException.class),
                    message(m -> m.contains("key '1A'")))));
  }
}
