package io.github.scompose.core.transport;

import java.util.List;

/** {@link TransportContract} for {@link LocalProcessTransport}. */
class LocalProcessTransportContractTest extends TransportContract {

  @Override
  protected Transport createTransport() {
    return LocalProcessTransport.create();
  }

  @Override
  protected List<String> echoCommand() {
    return List.of("sh", "-c", "echo out; echo err >&2; exit 3");
  }

  @Override
  protected List<String> largeOutputCommand() {
    return List.of("sh", "-c", "yes " + LARGE_LINE + " | head -n " + LARGE_LINES);
  }

  @Override
  protected List<String> neverEndingCommand() {
    return List.of("sleep", "600");
  }
}
