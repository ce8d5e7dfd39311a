/** A user's module: it requires the engine and the fake runtime, nothing else. */
module org.example.modular {
  requires io.github.scompose.testkit;
}
