package io.github.scompose.spec.internal.yaml;

import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * The implicit tags of plain scalars under the YAML 1.2 core schema, exactly as snakeyaml-engine's
 * {@link CoreScalarResolver} gives them, without its regular expressions for a scalar that can only
 * be a string. That resolver tries the patterns registered for a scalar's first character ({@code t
 * f T F}: bool; {@code - + 0-9}: int; {@code - + 0-9 .}: float; {@code n}: null; {@code $}: its
 * {@code ${VAR}} tag), then, for every scalar, its patterns of the empty string and of {@code ~
 * null Null NULL} and a single space (null). A non-empty scalar starting with any character other
 * than those ({@link #RESOLVED_STARTS}) is therefore a string, which this answers at once; every
 * other scalar is resolved by the core resolver itself (issue 11, loader speed: the core resolver
 * made about a sixth of the loader's allocations, matchers for every scalar).
 */
final class CoreScalarTags implements ScalarResolver {

  /** The first characters of the non-empty scalars the core resolver may tag other than str. */
  static final String RESOLVED_STARTS = "tfTF-+0123456789.n$~N ";

  /** The core schema with this resolver. */
  static final CoreSchema SCHEMA =
      new CoreSchema() {
        private final ScalarResolver tags = new CoreScalarTags();

        @Override
        public ScalarResolver getScalarResolver() {
          return tags;
        }
      };

  private final ScalarResolver core = new CoreScalarResolver();

  @Override
  public Tag resolve(String value, Boolean implicit) {
    if (implicit && !value.isEmpty() && RESOLVED_STARTS.indexOf(value.charAt(0)) < 0) {
      return Tag.STR;
    }
    return core.resolve(value, implicit);
  }
}
