package io.github.scompose.spec.internal.syntax;

import io.github.scompose.spec.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the short syntax of a mount, {@code [SOURCE:]TARGET[:OPTIONS]} (Compose Specification:
 * {@code services.volumes}, short syntax; singularity-compose {@code volumes} entries use the same
 * form).
 *
 * <ul>
 *   <li>{@code TARGET} alone: an anonymous volume at {@code TARGET};
 *   <li>a {@code SOURCE} starting with {@code .}, {@code /} or {@code ~} is a host path (a bind),
 *       kept as written; any other source is a volume name ({@code [a-zA-Z0-9][a-zA-Z0-9_.-]*},
 *       Docker's rule for volume names);
 *   <li>{@code OPTIONS} is a comma-separated list: {@code ro} or {@code rw} (default), SELinux
 *       {@code z}/{@code Z}, {@code nocopy}, the propagation modes {@code shared}, {@code rshared},
 *       {@code slave}, {@code rslave}, {@code private}, {@code rprivate}, and the consistency hints
 *       {@code consistent}, {@code cached}, {@code delegated} (accepted by Docker; Singularity
 *       ignores them).
 * </ul>
 *
 * <p>{@code TARGET} must be absolute. Windows paths are not supported.
 */
public final class VolumeSyntax {

  static final String EXPECTED = "[SOURCE:]TARGET[:OPTIONS]";

  private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  private static final Set<String> OPTIONS =
      Set.of(
          "z",
          "Z",
          "nocopy",
          "shared",
          "rshared",
          "slave",
          "rslave",
          "private",
          "rprivate",
          "consistent",
          "cached",
          "delegated");

  private VolumeSyntax() {}

  /**
   * Parses one short-syntax mount.
   *
   * @throws IllegalArgumentException when the text is empty or has more than three parts, the
   *     target is not absolute, the source is neither a path nor a volume name, an option is
   *     unknown, or both {@code ro} and {@code rw} are given; the message names the text
   */
  public static VolumeMount parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("volume is empty; expected " + EXPECTED);
    }
    String[] parts = text.split(":", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException(
          "volume \""
              + text
              + "\" has "
              + parts.length
              + " ':'-separated parts; expected "
              + EXPECTED);
    }
    VolumeMount.Builder b = VolumeMount.builder();
    String target;
    if (parts.length == 1) {
      target = parts[0];
      b.type(VolumeMount.Type.VOLUME);
    } else {
      String source = parts[0];
      target = parts[1];
      if (source.isEmpty()) {
        throw new IllegalArgumentException(
            "volume \"" + text + "\" has an empty source; expected " + EXPECTED);
      }
      if (isPath(source)) {
        b.type(VolumeMount.Type.BIND);
      } else if (VOLUME_NAME.matcher(source).matches()) {
        b.type(VolumeMount.Type.VOLUME);
      } else {
        throw new IllegalArgumentException(
            "volume source \""
                + source
                + "\" in \""
                + text
                + "\" is neither a path (starting with '.', '/' or '~') nor a volume name"
                + " ([a-zA-Z0-9][a-zA-Z0-9_.-]*)");
      }
      b.source(source);
    }
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException(
          "volume target \"" + target + "\" in \"" + text + "\" is not an absolute path");
    }
    b.target(target);
    if (parts.length == 3) {
      options(text, parts[2], b);
    }
    return b.build();
  }

  /**
   * Parses one singularity-compose {@code volumes} entry, {@code SOURCE[:TARGET[:ro|rw]]}: always a
   * {@link VolumeMount.Type#BIND}, whatever the source looks like, because Singularity has no named
   * volumes (singularity-compose 0.1.19 binds {@code data:/workspace/data} as the directory {@code
   * data} beside the compose file, as recorded on a real binary); a missing {@code TARGET} is the
   * source path itself, as in Singularity's {@code --bind src[:dest[:opts]]}.
   *
   * @throws IllegalArgumentException when the text is empty, has more than three parts, has an
   *     empty source, a relative target, or an option other than {@code ro}/{@code rw}
   */
  public static VolumeMount parseBind(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("bind is empty; expected SOURCE[:TARGET[:ro|rw]]");
    }
    String[] parts = text.split(":", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException(
          "bind \""
              + text
              + "\" has "
              + parts.length
              + " ':'-separated parts; expected SOURCE[:TARGET[:ro|rw]]");
    }
    String source = parts[0];
    if (source.isEmpty()) {
      throw new IllegalArgumentException(
          "bind \"" + text + "\" has an empty source; expected SOURCE[:TARGET[:ro|rw]]");
    }
    String target = parts.length > 1 ? parts[1] : source;
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException(
          "bind target \"" + target + "\" in \"" + text + "\" is not an absolute path");
    }
    boolean readOnly = false;
    if (parts.length == 3) {
      switch (parts[2]) {
        case "ro" -> readOnly = true;
        case "rw" -> readOnly = false;
        default ->
            throw new IllegalArgumentException(
                "bind option \"" + parts[2] + "\" in \"" + text + "\" is not ro or rw");
      }
    }
    return VolumeMount.builder()
        .type(VolumeMount.Type.BIND)
        .source(source)
        .target(target)
        .readOnly(readOnly)
        .build();
  }

  /** {@code true} when a short-syntax source is a host path rather than a volume name. */
  public static boolean isPath(String source) {
    return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
  }

  private static void options(String text, String list, VolumeMount.Builder b) {
    if (list.isEmpty()) {
      throw new IllegalArgumentException(
          "volume \"" + text + "\" ends with ':' but has no options; expected " + EXPECTED);
    }
    boolean ro = false;
    boolean rw = false;
    List<String> rest = new ArrayList<>();
    for (String option : list.split(",", -1)) {
      switch (option) {
        case "ro" -> ro = true;
        case "rw" -> rw = true;
        default -> {
          if (!OPTIONS.contains(option)) {
            throw new IllegalArgumentException(
                "volume option \""
                    + option
                    + "\" in \""
                    + text
                    + "\" is unknown; expected ro, rw, z, Z, nocopy, a propagation mode"
                    + " (shared, rshared, slave, rslave, private, rprivate)"
                    + " or consistent, cached, delegated");
          }
          rest.add(option);
        }
      }
    }
    if (ro && rw) {
      throw new IllegalArgumentException(
          "volume \"" + text + "\" is both read-only (ro) and read-write (rw)");
    }
    b.readOnly(ro).addAllOptions(rest);
  }
}
