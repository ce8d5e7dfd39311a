package io.github.scompose.core.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.compose.InstanceNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NodesRecord}: written, read back equal, deleted; a damaged line is named. */
class NodesRecordTest {

  @TempDir Path project;

  @Test
  void writtenRecordReadsBackEqual() throws Exception {
    Placement p =
        Placement.of(
            PlacementGoldenTest.project(PlacementGoldenTest.SHOP),
            PlacementGoldenTest.THREE,
            InstanceNaming.PROJECT);
    NodesRecord r =
        NodesRecord.builder()
            .project("shop")
            .transport("srun")
            .jobId("4242")
            .jobCreated(true)
            .placement(p)
            .build();
    r.write(project);
    assertEquals(Optional.of(r), NodesRecord.read(project));
    assertTrue(Files.readString(NodesRecord.file(project)).contains("job\t4242\tcreated\n"));
    NodesRecord.delete(project);
    assertEquals(Optional.empty(), NodesRecord.read(project));
    assertFalse(Files.exists(project.resolve(ComposeAcrossNodes.STATE_DIRECTORY)));
  }

  @Test
  void aDamagedLineIsNamed() throws Exception {
    Files.createDirectories(NodesRecord.file(project).getParent());
    Files.writeString(NodesRecord.file(project), "project\tshop\ntransport\tssh\ninstance\tx\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> NodesRecord.read(project));
    assertTrue(e.getMessage().endsWith("nodes.tsv:3: damaged line (instance x)"), e.getMessage());
  }
}
