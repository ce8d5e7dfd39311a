package io.github.scompose.core.transport;

/** {@link TransportContract} for {@link LocalProcessTransport}. */
class LocalProcessTransportContractTest extends TransportContract {

  @Override
  protected Transport createTransport() {
    return LocalProcessTransport.create();
  }
}
