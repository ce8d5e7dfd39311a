package io.github.scompose.core.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.BinaryVersion;
import io.github.scompose.core.client.SingularityBinary;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.network.NetworkPlan;
import io.github.scompose.network.NetworkPlanner;
import io.github.scompose.network.NetworkRequest;
import io.github.scompose.network.ResolvConf;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code instance start} argv of {@link UpPlanner} with {@link InstanceNaming#REFERENCE}, for
 * every valid singularity-compose file of ../shared/corpus, equals what singularity-compose 0.1.19
 * ran (../shared/reference/singularity-compose-argv/*.golden.txt), after applying exactly the
 * deliberate differences listed in the Javadoc of {@link UpPlanner} (see {@link
 * ReferenceArgv#expected}). Skips with a notice when ../shared is absent.
 */
class ReferenceToolUpPlanTest {

  static final SingularityBinary V342 =
      SingularityBinary.of("singularity", BinaryVersion.parse("singularity version 3.4.2"));
  static final Path WD = Path.of("/wd/project");
  static final String HOME = "/home/user";

  @TestFactory
  Stream<DynamicTest> everyCorpusFileStartsLikeTheReferenceTool() throws IOException {
    String shared = System.getProperty("scompose.shared.dir");
    Path root = shared == null ? null : Path.of(shared);
    Assumptions.assumeTrue(
        root != null && Files.isDirectory(root.resolve("corpus")),
        "../shared is absent: reference argv goldens of up not compared");
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : ReferenceArgv.corpusFiles(root)) {
      Path golden = ReferenceArgv.golden(root, name);
      Path file = root.resolve("corpus").resolve(name);
      tests.add(DynamicTest.dynamicTest(name, () -> compare(file, golden)));
    }
    assertTrue(tests.size() >= 20, "found " + tests.size() + " corpus files");
    return tests.stream();
  }

  private static void compare(Path file, Path golden) throws IOException {
    List<String> starts = ReferenceArgv.upStarts(golden);
    boolean root = ReferenceArgv.upRanAsRoot(golden);
    Assumptions.assumeFalse(
        starts.isEmpty(), golden.getFileName() + ": the reference tool started nothing");
    ComposeProject project =
        ComposeLoader.defaults()
            .withProjectDirectory(WD)
            .withHomeDirectory(Path.of(HOME))
            .withEnvironment(Map.of("HOME", HOME))
            .load(file);
    RuntimeFacts facts = RuntimeFacts.builder().dialect(V342.dialect()).root(root).build();
    PlanOptions options = PlanOptions.builder().naming(InstanceNaming.REFERENCE).build();
    NetworkRequest request =
        UpPlanner.networkRequest(project, facts, options)
            .withCheckHostPorts(false)
            .withResolvConf(ResolvConf.parse("nameserver 8.8.8.8\n"));
    NetworkPlan network = NetworkPlanner.create().plan(request);
    UpPlan plan = UpPlanner.plan(project, facts, network, options);
    SingularityClient client =
        SingularityClient.builder()
            .transport(new RecordingTransport())
            .binary(V342)
            .quiet(true)
            .build();

    Map<String, List<String>> expectedByName = new LinkedHashMap<>();
    for (String s : starts) {
      List<String> words =
          ReferenceArgv.expected(
              ReferenceArgv.words(s),
              WD,
              HOME,
              network.mode(),
              network.instances().stream()
                  .flatMap(i -> i.network().stream())
                  .findFirst()
                  .orElse(""));
      int tmpfs = words.indexOf("--writable-tmpfs");
      // 8. images built or pulled go to <state>/images/<service>.sif, never into the user's
      //    folders; the reference built into <context>/<service>.sif and pulled into
      //    WD/<service>/<service>.sif (kept by --compat, see CompatDryRunTest)
      String image = words.get(tmpfs + 1);
      String movedTo = movedImages(project).get(image);
      if (movedTo != null) {
        words = new java.util.ArrayList<>(words);
        words.set(tmpfs + 1, movedTo);
      }
      expectedByName.put(words.get(tmpfs + 2), words);
    }
    Map<String, List<String>> actualByName = new LinkedHashMap<>();
    for (PlannedInstance i : plan.instances()) {
      actualByName.put(i.name(), client.dryRun(i.start()));
    }
    assertEquals(expectedByName.keySet(), actualByName.keySet(), "instance names");
    for (String name : expectedByName.keySet()) {
      assertEquals(
          String.join(" ", expectedByName.get(name)),
          String.join(" ", actualByName.get(name)),
          name);
    }
  }

  /** The reference tool's path of each built or pulled image → where we put it. */
  private static Map<String, String> movedImages(ComposeProject project) {
    Path images = project.directory().resolve(PlanOptions.STATE_DIRECTORY).resolve("images");
    Map<String, String> out = new LinkedHashMap<>();
    for (io.github.scompose.spec.ServiceSpec s : project.services()) {
      String ours = images.resolve(s.name() + ".sif").toString();
      if (s.build().isPresent()) {
        out.put(s.build().get().context().resolve(s.name() + ".sif").toString(), ours);
      } else if (s.image().filter(i -> i.contains("://")).isPresent()) {
        out.put(project.directory().resolve(s.name()).resolve(s.name() + ".sif").toString(), ours);
      }
    }
    return out;
  }
}
