package io.github.scompose.spec.internal.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * A key path inside a document ({@code services.web.ports[0]}), built as a chain of links and
 * rendered only when a problem needs it: walks of the whole tree pass one small link per node
 * instead of concatenating a string per node.
 */
public final class KeyPath {

  /** The document root (renders as the empty string). */
  public static final KeyPath ROOT = new KeyPath(null, null, -1);

  private final KeyPath parent;
  private final String key;
  private final int index;

  private KeyPath(KeyPath parent, String key, int index) {
    this.parent = parent;
    this.key = key;
    this.index = index;
  }

  /** The path of {@code key} under this one ({@code a.key}). */
  public KeyPath key(String key) {
    return new KeyPath(this, key, -1);
  }

  /** The path of list item {@code index} (0-based) under this one ({@code a[index]}). */
  public KeyPath index(int index) {
    return new KeyPath(this, null, index);
  }

  /** {@code a.b[0].c}; empty for the root. */
  @Override
  public String toString() {
    List<KeyPath> links = new ArrayList<>();
    for (KeyPath p = this; p != null && p != ROOT; p = p.parent) {
      links.add(p);
    }
    StringBuilder out = new StringBuilder();
    for (int i = links.size() - 1; i >= 0; i--) {
      KeyPath p = links.get(i);
      if (p.key != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(p.key);
      } else {
        out.append('[').append(p.index).append(']');
      }
    }
    return out.toString();
  }
}
