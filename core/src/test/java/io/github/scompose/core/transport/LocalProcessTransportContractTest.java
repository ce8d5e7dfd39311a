package io.github.scompose.core.transport;

import io.github.scompose.core.transport.contract.TransportContract;

/** {@link TransportContract} for {@link LocalProcessTransport}. */
class LocalProcessTransportContractTest extends TransportContract {

  @Override
  protected Transport createTransport() {
    return LocalProcessTransport.create();
  }
}
