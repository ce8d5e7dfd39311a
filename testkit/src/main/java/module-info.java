/**
 * The fake runtime (an in-JVM transport and an out-of-process {@code singularity} emulator with the
 * real CLI's behaviour), waits, and a JUnit 5 extension. Its API uses the types of {@code
 * io.github.scompose.core}, so a module that requires this one reads core (and spec, network) too.
 */
module io.github.scompose.testkit {
  requires transitive io.github.scompose.core;
  // jackson-core writes the emulator's Go-style JSON
  requires com.fasterxml.jackson.core;
  requires org.slf4j;
  // the watchdog process ignores SIGINT and SIGHUP (sun.misc.Signal)
  requires jdk.unsupported;
  // the JUnit 5 extension (io.github.scompose.testkit.junit): the user's tests bring (and require)
  // JUnit; the fake runtime and the waits run without it
  requires static org.junit.jupiter.api;
  // compile time only: the Immutables style and the annotations of the generated classes
  requires static io.github.scompose.style;
  requires static org.immutables.value;
  requires static java.compiler;

  exports io.github.scompose.testkit;
  exports io.github.scompose.testkit.junit;
  exports io.github.scompose.testkit.wait;

  // SCOMPOSE_RUNTIME=fake without a FakeRuntime in the code: core's ComposeWiring finds this one
  provides io.github.scompose.core.compose.EmbeddedRuntimeProvider with
      io.github.scompose.testkit.internal.EmbeddedFakeRuntime;
}
