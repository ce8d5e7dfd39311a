/**
 * The instance client over a pluggable transport, the dialects of the binary and the compose engine
 * ({@code up}, {@code down}, {@code ps}, {@code logs}, ...). Its API uses the types of {@code
 * io.github.scompose.spec} and {@code io.github.scompose.network}, so a module that requires this
 * one reads those too.
 */
module io.github.scompose.core {
  requires transitive io.github.scompose.spec;
  requires transitive io.github.scompose.network;
  requires org.slf4j;
  // snakeyaml-engine reads the JSON of the binary's listings and of the state files; JNA (an
  // automatic module, Automatic-Module-Name com.sun.jna) calls libc, with a pure-Java fallback
  requires org.snakeyaml.engine.v2;
  requires com.sun.jna;
  // jackson-core (streaming, no databind) writes the state directory's JSON files
  requires com.fasterxml.jackson.core;
  // compile time only: the Immutables style and the annotations of the generated classes
  requires static io.github.scompose.style;
  requires static org.immutables.value;
  requires static java.compiler;

  exports io.github.scompose.core.client;
  exports io.github.scompose.core.compose;
  exports io.github.scompose.core.errors;
  exports io.github.scompose.core.nodes;
  exports io.github.scompose.core.posix;
  exports io.github.scompose.core.transport;

  // JNA makes a proxy of the package-private interface NativePosix.LibC and reads it reflectively
  opens io.github.scompose.core.internal.posix to
      com.sun.jna;

  // the embedded runtime for SCOMPOSE_RUNTIME=fake (the testkit provides one)
  uses io.github.scompose.core.compose.EmbeddedRuntimeProvider;
}
