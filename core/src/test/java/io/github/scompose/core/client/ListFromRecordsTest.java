package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.OutputListener;
import io.github.scompose.core.transport.RunningCommand;
import io.github.scompose.core.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SingularityClient#list(InstanceList)} reads SingularityCE 3.4's instance records instead
 * of running {@code instance list} where that is exactly what the binary would print, and runs the
 * binary otherwise. The home is a temporary directory given as the client's host identity: nothing
 * of this machine's {@code ~/.singularity} is read.
 */
class ListFromRecordsTest {

  @TempDir Path home;
  Path records;

  /** What the binary's listing prints when it is asked (one instance, unlike the records). */
  static final String BINARY_LISTING =
      "{\n\t\"instances\": [\n\t\t{\n\t\t\t\"instance\": \"fromBinary\",\n\t\t\t\"pid\": 1,\n"
          + "\t\t\t\"img\": \"/b.sif\"\n\t\t}\n\t]\n}\n";

  static final List<InstanceInfo> FROM_BINARY = List.of(InstanceInfo.of("fromBinary", 1, "/b.sif"));

  /** This machine's files (java.nio defaults); the binary's runs recorded and answered. */
  static class Local implements LocalFileTransport {
    final List<List<String>> runs = new ArrayList<>();

    @Override
    public synchronized CommandResult run(CommandRequest request) {
      runs.add(request.argv());
      return CommandResult.builder()
          .argv(request.argv())
          .exitCode(0)
          .stdout(BINARY_LISTING)
          .stderr("")
          .duration(Duration.ofMillis(1))
          .build();
    }

    @Override
    public RunningCommand start(CommandRequest request, OutputListener listener) {
      throw new AssertionError("not streamed");
    }

    @Override
    public String describe() {
      return "local (test)";
    }

    @Override
    public void close() {}
  }

  final Local local = new Local();

  @BeforeEach
  void records() throws IOException {
    records = home.resolve(".singularity/instances/sing/node1/u");
    record("web", 42, "/images/web.sif");
    record("db", 41, "/images/db.sif");
  }

  void record(String name, long pid, String image) throws IOException {
    Path folder = Files.createDirectories(records.resolve(name));
    Files.writeString(
        folder.resolve(name + ".json"),
        "{\"pid\":"
            + pid
            + ",\"ppid\":"
            + (pid - 1)
            + ",\"name\":\""
            + name
            + "\",\"user\":\"u\",\"image\":\""
            + image
            + "\",\"config\":\"e30=\",\"userns\":false}");
  }

  SingularityClient.Builder client(Transport transport, SingularityBinary binary) {
    return SingularityClient.builder()
        .transport(transport)
        .binary(binary)
        .hostIdentity(HostIdentity.of(home.toString(), "node1", "u"));
  }

  static long listings(List<List<String>> runs) {
    // instance list, or 2.x's instance.list
    return runs.stream().filter(a -> a.stream().anyMatch(w -> w.endsWith("list"))).count();
  }

  @Test
  void theRecordsAreReadAndNoBinaryRuns() {
    SingularityClient c = client(local, GoldenArgvTest.V342).build();
    assertEquals(
        List.of(
            InstanceInfo.of("db", 41, "/images/db.sif"),
            InstanceInfo.of("web", 42, "/images/web.sif")),
        c.list());
    assertEquals(
        List.of(InstanceInfo.of("web", 42, "/images/web.sif")), c.list(InstanceList.named("web")));
    assertEquals(Optional.empty(), c.find("nosuch"));
    assertEquals(List.of(), local.runs, "no binary call");
  }

  @Test
  void aStoppedInstanceIsGoneWithItsRecordAndWaitUntilGoneSpendsNoBinaryCall() throws IOException {
    SingularityClient c = client(local, GoldenArgvTest.V342).build();
    Files.delete(records.resolve("web/web.json"));
    Files.delete(records.resolve("web"));
    assertTrue(c.waitUntilGone("web", Duration.ofSeconds(1)));
    assertEquals(List.of(InstanceInfo.of("db", 41, "/images/db.sif")), c.list());
    assertEquals(List.of(), local.runs);
  }

  void assertTheBinaryLists(SingularityClient c) {
    assertEquals(FROM_BINARY, c.list());
    assertEquals(1, listings(local.runs), local.runs.toString());
  }

  @Test
  void noRecordDirectoryAsksTheBinary() throws IOException {
    // a user who never started an instance here: nothing says the path is the binary's
    SingularityClient c =
        SingularityClient.builder()
            .transport(local)
            .binary(GoldenArgvTest.V342)
            .hostIdentity(HostIdentity.of(home.resolve("other").toString(), "node1", "u"))
            .build();
    assertTheBinaryLists(c);
  }

  @Test
  void aPartialRecordAsksTheBinary() throws IOException {
    Files.writeString(records.resolve("web/web.json"), "{\"pid\":42,\"ppid\":41,\"na");
    assertTheBinaryLists(client(local, GoldenArgvTest.V342).build());
  }

  @Test
  void aRecordWhoseNameIsNotItsFoldersAsksTheBinary() throws IOException {
    Files.createDirectories(records.resolve("cache"));
    Files.copy(records.resolve("web/web.json"), records.resolve("cache/cache.json"));
    assertTheBinaryLists(client(local, GoldenArgvTest.V342).build());
  }

  @Test
  void otherDialectsAskTheBinary() {
    for (SingularityBinary b :
        List.of(
            GoldenArgvTest.V2,
            GoldenArgvTest.APPTAINER,
            GoldenArgvTest.CE4,
            SingularityBinary.of(
                "singularity", BinaryVersion.parse("singularity version 3.5.0")))) {
      local.runs.clear();
      assertTheBinaryLists(client(local, b).build());
    }
  }

  @Test
  void sudoAnotherUserAndNoGivenIdentityAskTheBinary() {
    assertTheBinaryLists(client(local, GoldenArgvTest.V342).sudo(true).build());
    local.runs.clear();
    SingularityClient c = client(local, GoldenArgvTest.V342).build();
    assertEquals(FROM_BINARY, c.list(InstanceList.builder().user("u").build()));
    assertEquals(1, listings(local.runs));
    local.runs.clear();
    assertTheBinaryLists(
        SingularityClient.builder().transport(local).binary(GoldenArgvTest.V342).build());
  }

  @Test
  void aTransportWhoseFilesAreNotThisMachinesAsksTheBinary() {
    Transport remote =
        new Transport() {
          @Override
          public CommandResult run(CommandRequest request) {
            return local.run(request);
          }

          @Override
          public RunningCommand start(CommandRequest request, OutputListener listener) {
            return local.start(request, listener);
          }

          @Override
          public Optional<byte[]> readFile(String path, long offset) {
            throw new AssertionError("no file read on a remote host for a listing: " + path);
          }

          @Override
          public void writeFile(String path, byte[] content, Set<PosixFilePermission> p) {}

          @Override
          public void createDirectories(String path) {}

          @Override
          public void deleteFile(String path) {}

          @Override
          public Optional<FileStamp> stat(String path) {
            return Optional.empty();
          }

          @Override
          public String temporaryDirectory() {
            return "/tmp";
          }

          @Override
          public String describe() {
            return "remote (test)";
          }

          @Override
          public void close() {}
        };
    assertTheBinaryLists(client(remote, GoldenArgvTest.V342).build());
  }

  @Test
  void onThisMachinesProcessesAScriptInTheBinarysPlaceIsAskedNotTheRecords() throws IOException {
    // a wrapper or the testkit's out-of-process emulator keeps its instances elsewhere: whatever
    // this machine's ~/.singularity holds, the script's own listing is the answer
    Path script = home.resolve("singularity");
    Files.writeString(script, "#!/bin/sh\ncat <<'EOF'\n" + BINARY_LISTING + "EOF\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    SingularityClient c =
        SingularityClient.builder()
            .transport(LocalProcessTransport.create())
            .binary(SingularityBinary.of(script.toString(), GoldenArgvTest.V342.version()))
            .build();
    assertEquals(FROM_BINARY, c.list());
  }
}
