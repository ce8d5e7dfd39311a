package io.github.scompose.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bridge plan's flags against the command lines recorded from SingularityCE 3.4.2 (read in
 * place from {@code ../shared/reference}, skipped when absent): {@code instance start --net
 * --network bridge --network-args IP=10.22.0.2 --hostname app ...} and, for the second instance,
 * {@code --network-args IP=10.22.0.3 --network-args portmap=8080:80/tcp --hostname app2}.
 */
class RecordedCommandLineTest {

  private static List<String> recordedStarts() throws IOException {
    String shared = System.getProperty("scompose.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "reference", "singularityce-3.4.2");
    assumeTrue(
        dir != null && Files.isDirectory(dir),
        "../shared/reference is absent (scompose.shared.dir=" + shared + "): skipping");
    List<String> starts = new ArrayList<>();
    for (String f : List.of("03-net1.txt", "04-net2.txt")) {
      for (String line : Files.readAllLines(dir.resolve(f))) {
        if (line.startsWith("$ singularity instance start ")) {
          starts.add(line.substring(2));
        }
      }
    }
    return starts;
  }

  /**
   * The network flags of a recorded start: everything between "start" and the image, binds removed.
   */
  private static List<String> networkFlags(String commandLine) {
    List<String> argv = new ArrayList<>(Arrays.asList(commandLine.split(" ")));
    List<String> flags = argv.subList(3, argv.size() - 2);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < flags.size(); i++) {
      if (flags.get(i).equals("--bind")) {
        i++;
      } else {
        out.add(flags.get(i));
      }
    }
    return out;
  }

  @Test
  void bridgeFlagsMatchTheRecordedCommandLines() throws IOException {
    List<String> starts = recordedStarts();
    assertEquals(2, starts.size(), "two recorded starts: app and app2");
    NetworkPlan plan =
        NetworkPlanner.create()
            .withHostPorts(new NetworkPlannerTest.FakeHostPorts(Set.of()))
            .plan(
                NetworkRequest.builder()
                    .project("reference")
                    .root(true)
                    .resolvConf(ResolvConf.parse("nameserver 10.0.0.53\n"))
                    .addInstance(InstanceRequest.of("app", "app"))
                    .addInstance(
                        InstanceRequest.builder()
                            .service("app2")
                            .instance("app2")
                            .addPort(PortPublication.parse("8080:80/tcp"))
                            .build())
                    .build());
    assertEquals(networkFlags(starts.get(0)), plan.instance("app").singularityFlags());
    assertEquals(networkFlags(starts.get(1)), plan.instance("app2").singularityFlags());
    assertEquals(
        List.of("/etc/hosts"),
        plan.instance("app").binds().stream().map(FileBind::containerPath).limit(1).toList());
  }
}
