package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instance listing read from the binary's records gives what {@code instance list --json}
 * prints for the same records (SingularityCE 3.4.2's {@code List} and {@code listInstance}), and
 * answers "ask the binary" on every doubt. Real temporary directories; nothing of this machine's
 * {@code ~/.singularity} is read.
 */
class InstanceRecordListingTest {

  @TempDir Path dir;

  /** Files of this machine, no processes. */
  static class Files0 implements LocalFileTransport {
    @Override
    public CommandResult run(CommandRequest request) {
      throw new AssertionError("no process: " + request.argv());
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      throw new AssertionError("no process: " + request.argv());
    }

    @Override
    public String describe() {
      return "files";
    }

    @Override
    public void close() {}
  }

  /** One record as 3.4.2 writes it ({@code json.Marshal} of its instance file). */
  static String record(String name, long pid, String image) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("pid", pid);
      g.writeNumberField("ppid", pid - 1);
      g.writeStringField("name", name);
      g.writeStringField("user", "root");
      g.writeStringField("image", image);
      g.writeStringField(
          "config",
          Base64.getEncoder().encodeToString("{\"engineName\":\"singularity\"}".getBytes()));
      g.writeBooleanField("userns", false);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** What 3.4.2's {@code instance list --json} prints for these records (tab-indented). */
  static String listing(List<InstanceInfo> sorted) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      com.fasterxml.jackson.core.util.DefaultIndenter tabs =
          new com.fasterxml.jackson.core.util.DefaultIndenter("\t", "\n");
      g.setPrettyPrinter(
          new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
              .withObjectIndenter(tabs)
              .withArrayIndenter(tabs));
      g.writeStartObject();
      g.writeArrayFieldStart("instances");
      for (InstanceInfo i : sorted) {
        g.writeStartObject();
        g.writeStringField("instance", i.name());
        g.writeNumberField("pid", i.pid());
        g.writeStringField("img", i.image());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w + "\n";
  }

  static void write(Path userDir, String folder, String file, String content) {
    try {
      Files.createDirectories(userDir.resolve(folder));
      Files.writeString(userDir.resolve(folder).resolve(file), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<List<InstanceInfo>> read(Path userDir) {
    return InstanceRecordListing.read(new Files0(), userDir.toString());
  }

  @Provide
  Arbitrary<List<InstanceInfo>> instances() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withChars("abcXYZ019._-")
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(n -> !n.equals(".") && !n.equals(".."));
    Arbitrary<Long> pids = Arbitraries.longs().between(0, Long.MAX_VALUE);
    Arbitrary<String> images =
        Arbitraries.strings()
            .withCharRange(' ', '~')
            .withChars('é', '\t', '\n', '"', '\\', '<', '&', '\u2028')
            .ofMaxLength(40);
    return Combinators.combine(names, pids, images)
        .as(InstanceInfo::of)
        .list()
        .ofMaxSize(6)
        .uniqueElements(InstanceInfo::name);
  }

  @Property(tries = 60)
  void theRecordsReadAreWhatTheBinarysJsonListingGives(
      @ForAll("instances") List<InstanceInfo> instances) throws IOException {
    Path userDir = Files.createTempDirectory("records");
    try {
      for (InstanceInfo i : instances) {
        write(userDir, i.name(), i.name() + ".json", record(i.name(), i.pid(), i.image()));
      }
      List<InstanceInfo> sorted =
          instances.stream().sorted(Comparator.comparing(InstanceInfo::name)).toList();
      List<InstanceInfo> fromBinary = InstanceListParser.parse(listing(sorted));
      assertEquals(Optional.of(fromBinary), read(userDir));
    } finally {
      try (Stream<Path> all = Files.walk(userDir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theRecordedRecordOf342() {
    // recorded from 3.4.2 (02-startscript-logs.txt): the web1 record, config trimmed there
    write(
        dir,
        "web1",
        "web1.json",
        "{\"pid\":26449,\"ppid\":26448,\"name\":\"web1\",\"user\":\"root\","
            + "\"image\":\"/images/svc.sif\",\"config\":\"e30=\",\"userns\":false}");
    assertEquals(
        Optional.of(List.of(InstanceInfo.of("web1", 26449, "/images/svc.sif"))), read(dir));
  }

  @Test
  void anEmptyDirectoryListsNothingAndAMissingOneAsksTheBinary() throws IOException {
    assertEquals(Optional.of(List.of()), read(dir));
    assertEquals(Optional.empty(), read(dir.resolve("nosuch")));
    Files.writeString(dir.resolve("file"), "x");
    assertEquals(Optional.empty(), read(dir.resolve("file")), "not a directory");
  }

  @Test
  void aFileBesideTheFoldersAndAFolderWithoutRecordAreSkippedAsTheBinarySkipsThem()
      throws IOException {
    write(dir, "web1", "web1.json", record("web1", 7, "/w.sif"));
    Files.writeString(dir.resolve("notes"), "x");
    Files.createDirectories(dir.resolve("starting"));
    write(dir, "half", "half.json.1234.tmp", "{");
    assertEquals(Optional.of(List.of(InstanceInfo.of("web1", 7, "/w.sif"))), read(dir));
  }

  static void doubt(Path userDir, Consumer<Path> damage) {
    write(userDir, "web1", "web1.json", record("web1", 7, "/w.sif"));
    damage.accept(userDir);
    assertEquals(Optional.empty(), InstanceRecordListing.read(new Files0(), userDir.toString()));
  }

  @Test
  void aPartialRecordAsksTheBinary() {
    // the binary writes a record with O_TRUNC, then the bytes: a reader can see a part
    doubt(dir, d -> write(d, "db", "db.json", record("db", 8, "/d.sif").substring(0, 30)));
  }

  @Test
  void anEmptyRecordAsksTheBinary() {
    doubt(dir, d -> write(d, "db", "db.json", ""));
  }

  @Test
  void aRecordNamedOtherwiseThanItsFolderAsksTheBinary() {
    doubt(dir, d -> write(d, "db", "db.json", record("other", 8, "/d.sif")));
  }

  @Test
  void anotherJsonFileInAFolderAsksTheBinary() {
    // the binary globs <folder>/*.json: it would list this one too
    doubt(dir, d -> write(d, "web1", "copy.json", record("web1", 9, "/w.sif")));
  }

  @Test
  void anEntryThatIsNoInstanceNameAsksTheBinary() {
    doubt(dir, d -> write(d, "we b", "we b.json", record("we b", 9, "/w.sif")));
  }

  @Test
  void anUnreadableRecordAsksTheBinary() throws IOException {
    doubt(
        dir,
        d -> {
          try {
            Files.createDirectories(d.resolve("db").resolve("db.json"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Test
  void anUnreadableDirectoryAsksTheBinary() throws IOException {
    write(dir, "web1", "web1.json", record("web1", 7, "/w.sif"));
    LocalFileTransport failing =
        new Files0() {
          @Override
          public Optional<List<String>> listDirectory(String path) {
            throw new io.github.scompose.core.transport.TransportException("permission denied");
          }
        };
    assertEquals(Optional.empty(), InstanceRecordListing.read(failing, dir.toString()));
  }

  @Test
  void aRecordDeletedBetweenTheListingAndItsReadIsLeftOutAsTheBinaryLeavesItOut() {
    write(dir, "db", "db.json", record("db", 8, "/d.sif"));
    write(dir, "web1", "web1.json", record("web1", 7, "/w.sif"));
    List<String> reads = new ArrayList<>();
    LocalFileTransport vanishing =
        new Files0() {
          @Override
          public Optional<byte[]> readFile(String path, long offset) {
            reads.add(path);
            if (path.endsWith("/db/db.json")) {
              try {
                Files.delete(Path.of(path)); // the instance stopped just now
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            return super.readFile(path, offset);
          }
        };
    assertEquals(
        Optional.of(List.of(InstanceInfo.of("web1", 7, "/w.sif"))),
        InstanceRecordListing.read(vanishing, dir.toString()));
    assertEquals(2, reads.size(), "one read per record: " + reads);
  }

  @Test
  void onlyARecordTheBinaryWroteIsTaken() {
    String ok = "{\"pid\":1,\"name\":\"a\",\"image\":\"/i\"}";
    assertTrue(InstanceRecordListing.parse(bytes(ok)).isPresent());
    assertTrue(InstanceRecordListing.parse(bytes(ok + "\n")).isPresent());
    assertTrue(
        InstanceRecordListing.parse(
                bytes("{\"x\":{\"pid\":[1]},\"pid\":1,\"name\":\"a\",\"image\":\"/i\"}"))
            .isPresent(),
        "other fields, nested, are skipped");
    for (String bad :
        List.of(
            "",
            "[]",
            "{\"pid\":1,\"name\":\"a\"}",
            "{\"pid\":1,\"image\":\"/i\"}",
            "{\"name\":\"a\",\"image\":\"/i\"}",
            "{\"pid\":1.5,\"name\":\"a\",\"image\":\"/i\"}",
            "{\"pid\":\"1\",\"name\":\"a\",\"image\":\"/i\"}",
            "{\"pid\":1,\"name\":null,\"image\":\"/i\"}",
            "{\"pid\":99999999999999999999,\"name\":\"a\",\"image\":\"/i\"}",
            "{\"pid\":1,\"name\":\"a\",\"name\":\"b\",\"image\":\"/i\"}",
            "{\"pid\":1,\"Name\":\"b\",\"name\":\"a\",\"image\":\"/i\"}",
            "{\"PID\":2,\"pid\":1,\"name\":\"a\",\"image\":\"/i\"}",
            "{\"pid\":1,\"name\":\"a\",\"image\":\"/i\"} trailing",
            "{\"pid\":1,\"name\":\"a\",\"image\":\"/i\"")) {
      assertEquals(Optional.empty(), InstanceRecordListing.parse(bytes(bad)), bad);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- whose records ------------------------------------------------------------------------

  Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void theOwnerIsThePasswdHomeTheHostNameAndTheUser() throws IOException {
    Path host = file("hostname", "vm\n");
    Path map = file("uid_map", "         0          0 4294967295\n");
    assertEquals(
        Optional.of(HostIdentity.of("/root", "vm", "root")),
        InstanceRecordListing.processOwner("/root", "root", host, map, Map.of()));
  }

  @Test
  void noOwnerWhenUnsure() throws IOException {
    Path host = file("hostname", "vm\n");
    Path map = file("uid_map", "0 0 4294967295\n");
    Path userNamespace = file("uid_map.ns", "0 1000 1\n");
    assertEquals(
        Optional.empty(),
        InstanceRecordListing.processOwner("/root", "root", host, userNamespace, Map.of()),
        "in a user namespace the binary maps the uid back to the host's");
    assertEquals(
        Optional.empty(),
        InstanceRecordListing.processOwner(
            "/root", "root", host, map, Map.of("SINGULARITY_USER", "alice")),
        "SINGULARITY_USER is the binary's --user");
    assertEquals(
        Optional.empty(), InstanceRecordListing.processOwner("/root", "?", host, map, Map.of()));
    assertEquals(
        Optional.empty(), InstanceRecordListing.processOwner("/", "root", host, map, Map.of()));
    assertEquals(
        Optional.empty(), InstanceRecordListing.processOwner("?", "root", host, map, Map.of()));
    assertEquals(
        Optional.empty(), InstanceRecordListing.processOwner(null, "root", host, map, Map.of()));
    assertEquals(
        Optional.empty(),
        InstanceRecordListing.processOwner("/root", "root", dir.resolve("nosuch"), map, Map.of()));
    assertEquals(
        Optional.empty(),
        InstanceRecordListing.processOwner("/root", "root", host, dir.resolve("nosuch"), Map.of()));
  }

  @Test
  void theBinaryMustBeAnElfExecutableFoundAsExecvpFindsIt() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path elf = bin.resolve("singularity");
    Files.write(elf, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    Path scripts = Files.createDirectories(dir.resolve("scripts"));
    Path script = scripts.resolve("singularity");
    Files.writeString(script, "#!/bin/sh\nexec java -jar fake.jar \"$@\"\n");
    Set.of(elf, script)
        .forEach(
            p -> {
              try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    assertTrue(InstanceRecordListing.isElfExecutable(elf.toString(), null));
    assertFalse(InstanceRecordListing.isElfExecutable(script.toString(), null));
    assertTrue(InstanceRecordListing.isElfExecutable("singularity", bin + ":" + scripts));
    assertFalse(InstanceRecordListing.isElfExecutable("singularity", scripts + ":" + bin));
    assertFalse(
        InstanceRecordListing.isElfExecutable("singularity", dir.resolve("none").toString()));
    assertFalse(InstanceRecordListing.isElfExecutable("singularity", null));
  }
}
