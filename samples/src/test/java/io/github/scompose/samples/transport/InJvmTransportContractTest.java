package io.github.scompose.samples.transport;

import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.contract.TransportContract;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.ScriptedResponse;
import java.util.List;

/**
 * {@link TransportContract} for the fake runtime's in-JVM transport ({@link
 * FakeRuntime#transport()}), on the real clock. It runs only the emulated programs, so the three
 * commands are scripted {@code singularity} invocations. It lives here, not in the testkit, because
 * the testkit's tests compile inside its module, where core's test-jar cannot be read.
 */
class InJvmTransportContractTest extends TransportContract {

  private FakeRuntime fake;

  @Override
  protected Transport createTransport() {
    fake =
        FakeRuntime.builder()
            .respondToCommand(
                List.of("contract-echo"),
                ScriptedResponse.builder().exitCode(3).stdout("out\n").stderr("err\n").build())
            .respondToCommand(
                List.of("contract-large"),
                ScriptedResponse.of(0, (LARGE_LINE + "\n").repeat(LARGE_LINES)))
            .respondToCommand(List.of("contract-hang"), ScriptedResponse.hang())
            .build();
    return fake.transport();
  }

  @Override
  protected void releaseTransport(Transport transport) {
    transport.close();
    fake.close();
  }

  @Override
  protected List<String> echoCommand() {
    return List.of("singularity", "contract-echo");
  }

  @Override
  protected List<String> largeOutputCommand() {
    return List.of("singularity", "contract-large");
  }

  @Override
  protected List<String> neverEndingCommand() {
    return List.of("singularity", "contract-hang");
  }
}
