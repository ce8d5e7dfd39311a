/**
 * The typed, immutable model and the parser of {@code singularity-compose.yml} (spec 1.0, 2.0) and
 * of the {@code services} subset of {@code docker-compose.yml}: {@link io.github.scompose.spec}.
 * Reads YAML with snakeyaml-engine.
 */
module io.github.scompose.spec {
  requires org.snakeyaml.engine.v2;
  // compile time only: the Immutables style and the annotations of the generated classes
  requires static io.github.scompose.style;
  requires static org.immutables.value;
  requires static java.compiler;

  exports io.github.scompose.spec;
}
