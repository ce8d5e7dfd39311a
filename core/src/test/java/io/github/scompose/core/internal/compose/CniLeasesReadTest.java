package io.github.scompose.core.internal.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.network.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CniLeases#read} on this machine reads the IPAM folder's names directly (no {@code ls}
 * process): the same addresses as through {@code ls}, recorded from SingularityCE 3.4.2's {@code
 * /var/lib/cni/networks/bridge} (one file per address, {@code last_reserved_ip.0}, {@code lock}).
 */
class CniLeasesReadTest {

  @TempDir Path data;

  @Test
  void theAddressFilesOfTheFolderAreTheLeases() throws Exception {
    Path bridge = Files.createDirectories(data.resolve("bridge"));
    for (String name : List.of("10.22.0.2", "10.22.0.17", "last_reserved_ip.0", "lock")) {
      Files.writeString(bridge.resolve(name), "1234\neth0");
    }
    try (LocalProcessTransport local = LocalProcessTransport.create()) {
      List<IpAddress> leased = CniLeases.read(local, data.toString(), "bridge");
      assertEquals(
          List.of("10.22.0.17", "10.22.0.2"),
          leased.stream().map(IpAddress::toString).sorted().toList());
    }
  }

  @Test
  void aMissingFolderOrANetworkNameThatIsAPathGivesNone() throws Exception {
    Files.createDirectories(data.resolve("bridge"));
    Files.writeString(data.resolve("bridge").resolve("10.22.0.2"), "1");
    try (LocalProcessTransport local = LocalProcessTransport.create()) {
      assertTrue(CniLeases.read(local, data.toString(), "other").isEmpty());
      assertTrue(CniLeases.read(local, data.toString(), "../" + data.getFileName()).isEmpty());
      assertTrue(CniLeases.read(local, data.toString(), "").isEmpty());
    }
  }
}
