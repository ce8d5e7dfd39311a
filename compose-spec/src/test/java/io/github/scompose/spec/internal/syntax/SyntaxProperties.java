package io.github.scompose.spec.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.scompose.spec.VolumeMount;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Round trips and failure modes of the volume and duration short forms. */
class SyntaxProperties {

  @Property(tries = 1000)
  void durationRenderThenParseIsIdentity(@ForAll @LongRange(min = 0) long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertEquals(d, DurationSyntax.parse(DurationSyntax.render(d)));
  }

  @Property(tries = 1000)
  void durationTextParsesOrFailsWithIllegalArgumentExceptionOnly(
      @ForAll @StringLength(max = 20) String raw) {
    String text = raw.replace('a', 'm').replace('b', 's').replace('c', '.').replace('d', '9');
    try {
      Duration d = DurationSyntax.parse(text);
      assertEquals(false, d.isNegative());
    } catch (IllegalArgumentException expected) {
      // documented failure
    }
  }

  @Provide
  Arbitrary<String> volumes() {
    Arbitrary<String> segment =
        Arbitraries.strings().withChars("abcXYZ019_.-").ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> source =
        Arbitraries.oneOf(
            segment.map(s -> "./" + s),
            segment.map(s -> "/" + s),
            segment.map(s -> "~/" + s),
            segment.filter(s -> Character.isLetterOrDigit(s.charAt(0)) && s.charAt(0) != '.'));
    Arbitrary<String> target = segment.map(s -> "/" + s);
    Arbitrary<String> options =
        Arbitraries.of("", ":ro", ":rw", ":z", ":ro,Z", ":nocopy", ":rprivate,ro", ":cached");
    return Arbitraries.oneOf(
        target, Combinators.combine(source, target, options).as((s, t, o) -> s + ":" + t + o));
  }

  @Property(tries = 1000)
  void volumeRenderOfParseRoundTrips(@ForAll("volumes") String text) {
    VolumeMount m = VolumeSyntax.parse(text);
    assertEquals(m, VolumeSyntax.parse(m.toShortForm().orElseThrow()));
  }

  @Property(tries = 1000)
  void volumeTextParsesOrFailsWithIllegalArgumentExceptionOnly(
      @ForAll @StringLength(max = 30) String raw) {
    String text = raw.replace('a', ':').replace('b', '/').replace('c', '.').replace('d', ',');
    try {
      VolumeSyntax.parse(text);
    } catch (IllegalArgumentException expected) {
      // documented failure
    }
  }
}
