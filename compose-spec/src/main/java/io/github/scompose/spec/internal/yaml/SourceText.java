package io.github.scompose.spec.internal.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the text of a compose file (or a {@code .env}/{@code env_file}) safely: only regular files
 * (never a directory, a device such as {@code /dev/zero}, a FIFO or a socket, which could block or
 * never end), at most {@link #MAX_BYTES} bytes, counted while reading so that nothing larger is
 * ever held in memory, decoded as strict UTF-8 (a malformed byte is an error located at its line
 * and column, not a replacement character).
 */
public final class SourceText {

  /** Largest file read, in bytes (8 MiB): far above any real compose file. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private SourceText() {}

  /**
   * Why a source cannot be read: a reason in words and, for a malformed byte, its 1-based line and
   * column (both 0 when the problem concerns the whole file).
   */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    Unreadable(String reason, int line, int column) {
      super(reason, null, false, false);
      this.line = line;
      this.column = column;
    }

    /** What is wrong, e.g. {@code no such file}; never a Java exception's text. */
    public String reason() {
      return getMessage();
    }

    /** 1-based line of the bad byte, 0 for the whole file. */
    public int line() {
      return line;
    }

    /** 1-based column (in characters) of the bad byte, 0 for the whole file. */
    public int column() {
      return column;
    }
  }

  /**
   * Reads {@code file} as UTF-8.
   *
   * @throws Unreadable when it does not exist, is not a regular file, cannot be read, is larger
   *     than {@link #MAX_BYTES}, or is not valid UTF-8 (then with the line and column of the bad
   *     byte)
   */
  public static String read(Path file) throws Unreadable {
    if (!Files.exists(file)) {
      throw new Unreadable("no such file", 0, 0);
    }
    if (!Files.isRegularFile(file)) {
      throw new Unreadable(
          Files.isDirectory(file)
              ? "it is a directory, not a file"
              : "it is not a regular file (a device, pipe or socket); only regular files are read",
          0,
          0);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (NoSuchFileException e) {
      throw new Unreadable("no such file", 0, 0);
    } catch (AccessDeniedException e) {
      throw new Unreadable("permission denied", 0, 0);
    } catch (IOException e) {
      throw new Unreadable("input/output error while reading it", 0, 0);
    }
  }

  /**
   * Reads {@code in} to its end (not closed) as UTF-8, stopping with an error once it passes {@link
   * #MAX_BYTES}.
   *
   * @throws Unreadable when it is larger than {@link #MAX_BYTES} or not valid UTF-8
   * @throws IOException when reading fails
   */
  public static String read(InputStream in) throws IOException, Unreadable {
    byte[] buffer = new byte[8192];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (length > MAX_BYTES) {
          throw tooLarge();
        }
        buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_BYTES + 1));
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
    }
    if (length > MAX_BYTES) {
      throw tooLarge();
    }
    return decode(buffer, length);
  }

  private static Unreadable tooLarge() {
    return new Unreadable(
        "the file is larger than " + MAX_BYTES + " bytes (8 MiB), the limit for a compose file",
        0,
        0);
  }

  /**
   * {@code bytes[0..length)} decoded as strict UTF-8.
   *
   * @throws Unreadable at the first malformed or unmappable byte, located by line and column
   */
  static String decode(byte[] bytes, int length) throws Unreadable {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position();
      throw located(bytes, at, describe(bytes, at, length, result));
    }
    if (result.isOverflow()) {
      // cannot happen: UTF-8 never has more characters than bytes
      throw new Unreadable("the file is not valid UTF-8", 0, 0);
    }
    out.flip();
    return out.toString();
  }

  private static String describe(byte[] bytes, int at, int length, CoderResult result) {
    String hex = String.format("0x%02X", bytes[at] & 0xff);
    if (at + result.length() >= length && (bytes[at] & 0xC0) == 0xC0) {
      return "invalid UTF-8: the file ends inside a character (byte " + hex + ")";
    }
    return "invalid UTF-8: byte "
        + hex
        + " cannot appear here; save the file as UTF-8 (Latin-1 and UTF-16 are not read)";
  }

  /** An error at the byte {@code at}: lines counted as YAML does, columns in characters. */
  private static Unreadable located(byte[] bytes, int at, String reason) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < at; i++) {
      byte b = bytes[i];
      if (b == '\n' || (b == '\r' && (i + 1 >= at || bytes[i + 1] != '\n'))) {
        line++;
        column = 1;
      } else if ((b & 0xC0) != 0x80 && b != '\r') {
        column++; // a character starts here (continuation bytes do not count)
      }
    }
    return new Unreadable(reason, line, column);
  }

  /**
   * The 1-based line and column of the code point at {@code codePointIndex} of {@code text}, as
   * YAML counts them ({@code \n}, {@code \r\n} and {@code \r} end lines; columns in code points).
   */
  public static int[] lineAndColumn(String text, int codePointIndex) {
    int line = 1;
    int column = 1;
    int i = 0;
    int seen = 0;
    while (i < text.length() && seen < codePointIndex) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      seen++;
      if (c == '\n' || (c == '\r' && (i >= text.length() || text.charAt(i) != '\n'))) {
        line++;
        column = 1;
      } else if (c != '\r') {
        column++;
      }
    }
    return new int[] {line, column};
  }
}
