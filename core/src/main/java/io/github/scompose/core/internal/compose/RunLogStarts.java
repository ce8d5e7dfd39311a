package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.LogOffsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * {@code .scompose/logs.json}: where each instance's current run begins in its log files, and when
 * it began. The binary appends to {@code <name>.out}/{@code .err} across runs of the same name, so
 * {@code up} takes the files' sizes just before it (re)creates an instance ({@link
 * io.github.scompose.core.client.SingularityClient#logSizes}) and {@code logs} reads from there. An
 * instance without an entry (started by an older version, or by {@code create}/{@code start}, which
 * keep a run going as docker compose's start does) shows its whole files.
 *
 * <p>Shape: {@code {"format": 1, "instances": {"<name>": {"out": BYTES, "err": BYTES, "startedAt":
 * "ISO-8601"}}}}, written atomically under the state directory's lock. An unreadable file counts as
 * empty (logged at WARN): it only narrows what {@code logs} shows, and the next {@code up} rewrites
 * it.
 */
public final class RunLogStarts {

  private static final Logger LOG = LoggerFactory.getLogger(RunLogStarts.class);

  /** Current format version. */
  public static final int FORMAT = 1;

  /**
   * Where one run begins.
   *
   * @param offsets the sizes of the log files just before the instance started
   * @param startedAt when they were taken
   */
  public record Start(LogOffsets offsets, Instant startedAt) {}

  private RunLogStarts() {}

  /** The file in {@code stateDirectory}. */
  public static java.nio.file.Path in(java.nio.file.Path stateDirectory) {
    return stateDirectory.resolve("logs.json");
  }

  /** The starts of a file, in its order, unmodifiable (as {@link ParsedFiles} keeps values). */
  private record Parsed(Map<String, Start> starts) {
    Parsed {
      starts = Collections.unmodifiableMap(new LinkedHashMap<>(starts));
    }
  }

  /**
   * Reads the file now, when it is there, so that the next {@link #read} in this JVM finds it
   * parsed ({@link ParsedFiles}); quiet, as {@link #read} reports an unreadable file itself. Up
   * calls it while its instances start: the JVM waits on the binary then, and the read is off the
   * path from the last start to the end of {@code up}.
   */
  static void readAhead(java.nio.file.Path stateDirectory) {
    try {
      ParsedFiles.read(
          in(stateDirectory), Parsed.class, f -> StateFile.text(f).map(t -> new Parsed(parse(t))));
    } catch (RuntimeException e) {
      // read reports it when it matters
    }
  }

  /** Every recorded start, by instance name; empty when there is no readable file. */
  public static Map<String, Start> read(java.nio.file.Path stateDirectory) {
    java.nio.file.Path file = in(stateDirectory);
    try {
      return ParsedFiles.read(
              file, Parsed.class, f -> StateFile.text(f).map(t -> new Parsed(parse(t))))
          .map(Parsed::starts)
          .orElse(Map.of());
    } catch (RuntimeException e) {
      LOG.warn("{} is unreadable ({}); logs show whole files", file, e.getMessage());
      return Map.of();
    }
  }

  /**
   * Records {@code starts} over what the file holds (other instances keep theirs), under the state
   * directory's lock.
   */
  public static void record(java.nio.file.Path stateDirectory, Map<String, Start> starts) {
    if (starts.isEmpty()) {
      return;
    }
    StateDirectoryLock.holding(
        stateDirectory,
        () -> {
          Map<String, Start> all = new LinkedHashMap<>(read(stateDirectory));
          all.putAll(starts);
          StateFile.writeAtomically(
              in(stateDirectory), render(all), StateFile.OWNER_ONLY, new Parsed(all));
          return null;
        });
  }

  static String render(Map<String, Start> starts) {
    StringBuilder b = new StringBuilder("{\n  \"format\": ").append(FORMAT);
    b.append(",\n  \"instances\": {");
    int n = 0;
    for (Map.Entry<String, Start> e : starts.entrySet()) {
      b.append(n++ == 0 ? "\n" : ",\n");
      b.append("    ").append(JsonRendering.string(e.getKey()));
      b.append(": {\"out\": ").append(e.getValue().offsets().out());
      b.append(", \"err\": ").append(e.getValue().offsets().err());
      b.append(", \"startedAt\": \"").append(e.getValue().startedAt()).append("\"}");
    }
    return b.append(starts.isEmpty() ? "}\n}\n" : "\n  }\n}\n").toString();
  }

  static Map<String, Start> parse(String text) {
    Object root =
        new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
    if (!(root instanceof Map<?, ?> m) || !(m.get("instances") instanceof Map<?, ?> instances)) {
      throw new IllegalArgumentException("not a log starts file");
    }
    StateFile.requireFormat(m, FORMAT);
    Map<String, Start> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : instances.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> v)
          || !(v.get("out") instanceof Number o)
          || !(v.get("err") instanceof Number r)
          || v.get("startedAt") == null) {
        throw new IllegalArgumentException("the entry of " + e.getKey() + " is not an object");
      }
      out.put(
          String.valueOf(e.getKey()),
          new Start(
              LogOffsets.of(o.longValue(), r.longValue()),
              Instant.parse(v.get("startedAt").toString())));
    }
    return out;
  }
}
