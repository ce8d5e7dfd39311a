package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVM processes on one lease file: no duplicate address, and a killed writer leaves the
 * file intact.
 */
class LeaseStoreProcessTest {

  @TempDir Path dir;

  private static Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xshare:auto");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LeaseWriterProcess.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  @Test
  void concurrentProcessesNeverShareAnAddress() throws Exception {
    Path file = dir.resolve("leases.json");
    int processes = 4;
    int projects = 5;
    int instances = 8;
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      children.add(start("allocate", file.toString(), "p" + i, "" + projects, "" + instances));
    }
    // one start signal to all, so that they contend for the lock at the same time
    for (Process p : children) {
      OutputStream in = p.getOutputStream();
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
    }
    List<String> printed = new ArrayList<>();
    for (Process p : children) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        r.lines().forEach(printed::add);
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
      assertEquals(0, p.exitValue(), "child exit code");
    }
    int expected = processes * projects * instances;
    assertEquals(expected, printed.size());
    Set<String> addresses = new HashSet<>();
    for (String line : printed) {
      assertTrue(addresses.add(line.split(" ")[2]), "duplicate address handed out: " + line);
    }
    List<Lease> leases = LeaseStore.open(file).leases();
    assertEquals(expected, leases.size(), "every lease is in the file");
    Set<String> inFile = new HashSet<>();
    leases.forEach(l -> inFile.add(l.address().toString()));
    assertEquals(addresses, inFile, "the file records exactly what was handed out");
  }

  @Test
  void killedWriterLeavesTheFileIntact() throws Exception {
    Path file = dir.resolve("leases.json");
    Path tmp = dir.resolve("leases.json.tmp");
    int killedMidWrite = 0;
    for (int round = 0; round < 10 && killedMidWrite < 3; round++) {
      Files.deleteIfExists(tmp);
      Process child = start("churn", file.toString());
      BufferedReader r =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertTrue(line != null && line.startsWith("wrote "), "child reports writes: " + line);
      // the temp file exists only between the start of a write and its atomic rename:
      // wait until the child is inside a write (each is ~400 KB plus an fsync), then kill it
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(tmp) && child.isAlive() && System.nanoTime() < giveUp) {
        Thread.onSpinWait();
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      if (Files.exists(tmp)) {
        killedMidWrite++;
      }

      List<Lease> leases = LeaseStore.open(file).leases();
      Set<IpAddress> unique = new HashSet<>();
      leases.forEach(l -> unique.add(l.address()));
      assertEquals(leases.size(), unique.size(), "no duplicate address after a kill");
      assertEquals(0, leases.size() % 3000, "whole projects only: " + leases.size());
      assertFalse(
          Files.exists(dir.resolve("leases.json.bak")), "no backup: the file was never bad");
    }
    assertTrue(killedMidWrite > 0, "at least one kill landed between temp file and rename");
    // the next writer carries on normally over whatever the killed one left (.tmp included)
    LeaseStore store = LeaseStore.open(file);
    store.lease(
        "after",
        AddressAllocator.of(Cidr.parse("10.22.0.0/16")),
        List.of("a1"),
        Set.of(),
        LeaseLiveness.assumeAlive());
    assertTrue(store.leases().stream().anyMatch(l -> l.project().equals("after")));
    assertFalse(Files.exists(tmp), "the temp file was renamed into place");
  }
}
