package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.ReferenceArgv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every {@code instance start} that singularity-compose 0.1.19 ran for the corpus
 * (../shared/reference/singularity-compose-argv/*.golden.txt), rebuilt as an {@link InstanceStart}
 * and rendered for SingularityCE 3.4.2: the argv must be the reference's, without its literal
 * double quotes around {@code --network-args} values.
 */
class ReferenceToolArgvTest {

  @Test
  void everyReferenceStartRendersTheSame() throws IOException {
    String shared = System.getProperty("scompose.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "reference", "singularity-compose-argv");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir),
        "../shared/reference is absent: reference argv goldens not compared");
    SingularityClient client =
        SingularityClient.builder()
            .transport(new ScriptedTransport())
            .binary(GoldenArgvTest.V342)
            .quiet(true)
            .build();
    int compared = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".golden.txt")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.startsWith("singularity --quiet instance start ")) {
            continue;
          }
          List<String> expected =
              ReferenceArgv.words(line).stream().map(ReferenceArgv::unquote).toList();
          InstanceStart start = parse(expected.subList(4, expected.size()));
          assertEquals(expected, client.dryRun(start), f.getFileName().toString());
          compared++;
        }
      }
    }
    assertTrue(compared >= 20, "compared " + compared + " start lines");
  }

  static InstanceStart parse(List<String> args) {
    InstanceStart.Builder b = InstanceStart.builder();
    int i = 0;
    while (args.get(i).startsWith("-")) {
      String a = args.get(i);
      switch (a) {
        case "--bind" -> b.addBinds(Bind.parse(args.get(++i)));
        case "--net" -> b.net(true);
        case "--network" -> b.network(args.get(++i));
        case "--network-args" -> b.addNetworkArgs(args.get(++i));
        case "--hostname" -> b.hostname(args.get(++i));
        case "--writable-tmpfs" -> b.writableTmpfs(true);
        default -> b.addOptions(a);
      }
      i++;
    }
    b.image(args.get(i)).name(args.get(i + 1));
    b.addAllArgs(args.subList(i + 2, args.size()));
    return b.build();
  }
}
