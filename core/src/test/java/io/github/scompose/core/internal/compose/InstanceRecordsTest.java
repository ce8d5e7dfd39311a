package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a damaged {@code instances.json}: the error never quotes its content. */
class InstanceRecordsTest {

  @TempDir Path dir;

  @Test
  void aDamagedFileIsNamedWithLineAndColumnButNoneOfItsContent() throws Exception {
    Files.writeString(
        InstanceRecords.in(dir),
        "{\"format\": 1, \"instances\": [\n"
            + "  {\"env\": {\"DB_PASSWORD\": \"hunter2\"},, \"name\": \"x\"}\n"
            + "]}\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> InstanceRecords.read(dir));
    StringWriter all = new StringWriter();
    e.printStackTrace(new PrintWriter(all));
    assertFalse(all.toString().contains("hunter2"), all.toString());
    assertNull(e.getCause(), "the parser's exception quotes the line");
    assertTrue(e.getMessage().contains(InstanceRecords.in(dir).toString()), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*line 2, column \\d+.*"), e.getMessage());
  }
}
