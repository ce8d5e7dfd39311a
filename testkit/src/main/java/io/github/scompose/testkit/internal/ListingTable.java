package io.github.scompose.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code instance list} table: every column but the last left-aligned in a fixed width (16 for
 * the name, 8 for the PID, 16 for an IP) plus one space, as {@code printf("%-16s %-8s %s")} does; a
 * longer cell pushes the rest right. Recorded from SingularityCE 3.4.2 ({@code INSTANCE NAME PID
 * IMAGE}, also for an empty list).
 */
final class ListingTable {
  private final int[] widths;
  private final List<List<String>> rows = new ArrayList<>();

  ListingTable(int... widths) {
    this.widths = widths.clone();
  }

  ListingTable row(String... cells) {
    rows.add(List.of(cells));
    return this;
  }

  String render() {
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        out.append(cell);
        if (c < row.size() - 1) {
          int width = c < widths.length ? widths[c] : 0;
          out.append(" ".repeat(Math.max(0, width - cell.length()) + 1));
        }
      }
      out.append('\n');
    }
    return out.toString();
  }
}
