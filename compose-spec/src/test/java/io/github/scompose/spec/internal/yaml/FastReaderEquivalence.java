package io.github.scompose.spec.internal.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contract between {@link BlockSubsetReader} and {@link YamlReader#readFully}: when the fast
 * reader returns a tree, the full reader reports nothing (neither an error nor a duplicate key) and
 * builds the same tree, equal in its {@link YNodeDump ordered rendering}. And {@link
 * YamlReader#read}, which may take either path, reports and builds exactly what {@code readFully}
 * does, on every document.
 */
final class FastReaderEquivalence {

  static final Path BASE = Path.of("/project");

  private FastReaderEquivalence() {}

  /** What the full reader made of a document: the tree (or empty) and every report. */
  record Full(Optional<YNode> root, List<String> reports) {
    boolean clean() {
      return root.isPresent() && reports.isEmpty();
    }
  }

  /** Reads {@code content} with the full reader, collecting every report. */
  static Full full(String file, String content) {
    return read(file, content, true);
  }

  private static Full read(String file, String content, boolean fully) {
    List<String> reports = new ArrayList<>();
    YamlReader.Diagnostics diagnostics =
        new YamlReader.Diagnostics() {
          @Override
          public void error(Loc loc, String path, String message) {
            reports.add(
                "error at " + loc.line() + ":" + loc.column() + " " + path + ": " + message);
          }

          @Override
          public void duplicateKey(Loc loc, String path, String key, int firstLine) {
            reports.add(
                "duplicateKey at "
                    + loc.line()
                    + ":"
                    + loc.column()
                    + " "
                    + path
                    + " key="
                    + key
                    + " first line "
                    + firstLine);
          }
        };
    Optional<YNode> root =
        fully
            ? YamlReader.readFully(file, BASE, content, diagnostics)
            : YamlReader.read(file, BASE, content, diagnostics);
    return new Full(root, reports);
  }

  /**
   * Checks the contract for {@code content} (and that {@code read} answers as {@code readFully});
   * returns whether the fast reader accepted it (returned a tree). Fails with the document, both
   * renderings and the full reader's reports otherwise.
   */
  static boolean check(String file, String content) {
    YNode fast = BlockSubsetReader.read(file, BASE, content);
    Full full = full(file, content);
    Full read = read(file, content, false);
    assertEquals(
        full.reports(),
        read.reports(),
        () -> "YamlReader.read reports otherwise than readFully\n" + show(content));
    assertEquals(
        YNodeDump.of(full.root().orElse(null)),
        YNodeDump.of(read.root().orElse(null)),
        () -> "YamlReader.read builds another tree than readFully\n" + show(content));
    if (fast == null) {
      return false;
    }
    assertTrue(
        full.reports().isEmpty(),
        () ->
            "the fast reader accepted a document on which the full reader reports "
                + full.reports()
                + "\n"
                + show(content)
                + "fast tree:\n"
                + YNodeDump.of(fast));
    assertTrue(
        full.root().isPresent(),
        () ->
            "the fast reader returned a tree for a document that the full reader reads as empty\n"
                + show(content));
    assertEquals(
        YNodeDump.of(full.root().get()),
        YNodeDump.of(fast),
        () -> "the fast reader's tree differs from the full reader's\n" + show(content));
    return true;
  }

  /** {@code content} quoted, for a failure message. */
  static String show(String content) {
    return "document (" + content.length() + " chars): " + YNodeDump.quote(content) + "\n";
  }
}
