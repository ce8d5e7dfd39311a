package io.github.scompose.spec.internal.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.github.scompose.spec.VolumeMount;
import io.github.scompose.spec.VolumeMount.Type;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VolumeSyntaxTest {

  static Stream<Arguments> forms() {
    return Stream.of(
        arguments("/var/lib/db", Type.VOLUME, null, "/var/lib/db", false, List.of()),
        arguments("db-data:/var/lib/db", Type.VOLUME, "db-data", "/var/lib/db", false, List.of()),
        arguments("./data:/data", Type.BIND, "./data", "/data", false, List.of()),
        arguments("../up:/up:ro", Type.BIND, "../up", "/up", true, List.of()),
        arguments("/srv:/srv:rw", Type.BIND, "/srv", "/srv", false, List.of()),
        arguments(
            "~/configs:/etc/configs:ro,z",
            Type.BIND,
            "~/configs",
            "/etc/configs",
            true,
            List.of("z")),
        arguments("/x:/y:Z,rprivate", Type.BIND, "/x", "/y", false, List.of("Z", "rprivate")),
        arguments("cache:/cache:nocopy", Type.VOLUME, "cache", "/cache", false, List.of("nocopy")),
        arguments(".:/code:cached", Type.BIND, ".", "/code", false, List.of("cached")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void parsesShortSyntax(
      String text, Type type, String source, String target, boolean ro, List<String> options) {
    VolumeMount m = VolumeSyntax.parse(text);
    assertEquals(type, m.type());
    assertEquals(Optional.ofNullable(source), m.source());
    assertEquals(target, m.target());
    assertEquals(ro, m.readOnly());
    assertEquals(options, m.options());
    assertEquals(m, VolumeSyntax.parse(m.toShortForm().orElseThrow()));
  }

  @Test
  void shortFormDropsDefaultRw() {
    assertEquals("/a:/b", VolumeSyntax.parse("/a:/b:rw").toShortForm().orElseThrow());
    assertEquals("/a:/b:ro,z", VolumeSyntax.parse("/a:/b:z,ro").toShortForm().orElseThrow());
  }

  @Test
  void longFormOnlyMountsHaveNoShortForm() {
    VolumeMount tmpfs =
        VolumeMount.builder().type(Type.TMPFS).target("/tmp").tmpfsSize(1 << 20).build();
    assertEquals(Optional.empty(), tmpfs.toShortForm());
    VolumeMount noCreate =
        VolumeMount.builder()
            .type(Type.BIND)
            .source("./x")
            .target("/x")
            .createHostPath(false)
            .build();
    assertEquals(Optional.empty(), noCreate.toShortForm());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments("", "volume is empty; expected [SOURCE:]TARGET[:OPTIONS]"),
        arguments("data", "volume target \"data\" in \"data\" is not an absolute path"),
        arguments("./a:b", "volume target \"b\" in \"./a:b\" is not an absolute path"),
        arguments(
            ":/data", "volume \":/data\" has an empty source; expected [SOURCE:]TARGET[:OPTIONS]"),
        arguments(
            "a:/b:ro:x",
            "volume \"a:/b:ro:x\" has 4 ':'-separated parts; expected [SOURCE:]TARGET[:OPTIONS]"),
        arguments(
            "my vol:/data",
            "volume source \"my vol\" in \"my vol:/data\" is neither a path (starting with '.', '/'"
                + " or '~') nor a volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"),
        arguments(
            "/a:/b:rx",
            "volume option \"rx\" in \"/a:/b:rx\" is unknown; expected ro, rw, z, Z, nocopy, a"
                + " propagation mode (shared, rshared, slave, rslave, private, rprivate) or"
                + " consistent, cached, delegated"),
        arguments(
            "/a:/b:ro,rw", "volume \"/a:/b:ro,rw\" is both read-only (ro) and read-write (rw)"),
        arguments(
            "/a:/b:",
            "volume \"/a:/b:\" ends with ':' but has no options; expected [SOURCE:]TARGET[:OPTIONS]"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("errors")
  void rejectsWithAMessageThatNamesTheProblem(String text, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> VolumeSyntax.parse(text));
    assertEquals(message, e.getMessage());
  }

  @Test
  void valueTypeRules() {
    assertEquals(
        "tmpfs at /t cannot have a source",
        assertThrows(
                IllegalArgumentException.class,
                () -> VolumeMount.builder().type(Type.TMPFS).source("x").target("/t").build())
            .getMessage());
    assertEquals(
        "tmpfs size is set on the bind mount at /t",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    VolumeMount.builder()
                        .type(Type.BIND)
                        .source("/x")
                        .target("/t")
                        .tmpfsSize(5)
                        .build())
            .getMessage());
    assertEquals(
        "bind to /t has no source path",
        assertThrows(
                IllegalArgumentException.class,
                () -> VolumeMount.builder().type(Type.BIND).target("/t").build())
            .getMessage());
    assertEquals(
        "create_host_path is set on the volume mount at /t; it applies to binds only",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    VolumeMount.builder()
                        .type(Type.VOLUME)
                        .target("/t")
                        .createHostPath(false)
                        .build())
            .getMessage());
  }

  @Test
  void singularityComposeEntriesAreAlwaysBinds() {
    VolumeMount named = VolumeSyntax.parseBind("data:/workspace/data");
    assertEquals(Type.BIND, named.type());
    assertEquals(Optional.of("data"), named.source());
    assertEquals("/workspace/data", named.target());
    VolumeMount same = VolumeSyntax.parseBind("/etc/timezone");
    assertEquals(Optional.of("/etc/timezone"), same.source());
    assertEquals("/etc/timezone", same.target());
    assertEquals(true, VolumeSyntax.parseBind("./x:/x:ro").readOnly());
    assertEquals(false, VolumeSyntax.parseBind("./x:/x:rw").readOnly());
  }

  @Test
  void singularityComposeBindErrors() {
    assertEquals(
        "bind option \"z\" in \"./x:/x:z\" is not ro or rw",
        assertThrows(IllegalArgumentException.class, () -> VolumeSyntax.parseBind("./x:/x:z"))
            .getMessage());
    assertEquals(
        "bind target \"x\" in \"./x:x\" is not an absolute path",
        assertThrows(IllegalArgumentException.class, () -> VolumeSyntax.parseBind("./x:x"))
            .getMessage());
    assertEquals(
        "bind target \"data\" in \"data\" is not an absolute path",
        assertThrows(IllegalArgumentException.class, () -> VolumeSyntax.parseBind("data"))
            .getMessage());
    assertEquals(
        "bind \":/x\" has an empty source; expected SOURCE[:TARGET[:ro|rw]]",
        assertThrows(IllegalArgumentException.class, () -> VolumeSyntax.parseBind(":/x"))
            .getMessage());
  }
}
