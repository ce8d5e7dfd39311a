/**
 * The one Immutables style of the project ({@link io.github.scompose.style.ValueStyle}). Needed at
 * compile time only: the library modules read it with {@code requires static}, and nothing of it is
 * used at run time.
 */
module io.github.scompose.style {
  // ValueStyle is meta-annotated with @Value.Style (an automatic module, Automatic-Module-Name
  // org.immutables.value): compile time only
  requires static org.immutables.value;

  exports io.github.scompose.style;
}
