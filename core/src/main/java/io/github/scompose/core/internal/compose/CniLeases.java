package io.github.scompose.core.internal.compose;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import io.github.scompose.network.IpAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses the binary's CNI has handed out on a network, to any instance: also to instances
 * scompose did not start (singularity-compose, a hand-started instance), which no listing shows
 * (SingularityCE 3.4.2's {@code instance list --json} has no address). The CNI {@code host-local}
 * IPAM keeps one file per address, named by the address, in {@code /var/lib/cni/networks/NETWORK}
 * (recorded from SingularityCE 3.4.2); the binary refuses a start that asks for one of them
 * ("requested IP address ... is not available").
 */
final class CniLeases {

  /** The CNI {@code host-local} IPAM's default data directory. */
  static final String DATA_DIRECTORY = "/var/lib/cni/networks";

  private CniLeases() {}

  /**
   * The addresses leased on {@code network}: on this machine ({@link LocalProcessTransport}) the
   * folder's names read directly, elsewhere with {@code ls} through {@code transport} (on the host
   * the binary runs on); empty when the folder does not exist or cannot be read: then the binary's
   * own refusal remains the check.
   */
  static List<IpAddress> read(Transport transport, String network) {
    return read(transport, DATA_DIRECTORY, network);
  }

  /** {@link #read(Transport, String)} of the IPAM's folders under {@code dataDirectory}. */
  static List<IpAddress> read(Transport transport, String dataDirectory, String network) {
    List<IpAddress> out = new ArrayList<>();
    if (network.isEmpty() || network.contains("/") || network.startsWith(".")) {
      return out;
    }
    String folder = dataDirectory + "/" + network;
    List<String> names;
    if (transport instanceof LocalProcessTransport local) {
      // no process for a folder of this machine (issue 11: an ls cost 5-8 ms before up's starts)
      try {
        names = local.listDirectory(folder).orElse(List.of());
      } catch (TransportException e) {
        return out;
      }
    } else {
      CommandResult r;
      try {
        r = transport.run(CommandRequest.of("ls", "-1", "--", folder));
      } catch (TransportException | UnsupportedOperationException e) {
        return out; // no such program on this transport (the in-JVM fake): nothing known
      }
      if (r.exitCode() != 0) {
        return out;
      }
      names = List.of(r.stdout().split("\n"));
    }
    for (String line : names) {
      String name = line.strip();
      if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
        try {
          out.add(IpAddress.parse(name));
        } catch (IllegalArgumentException notAnAddress) {
          // last_reserved_ip.0, lock and other files of the IPAM
        }
      }
    }
    return out;
  }
}
