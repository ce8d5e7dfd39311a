/**
 * Address allocation over a bridge CIDR, {@code /etc/hosts} and {@code resolv.conf} rendering, port
 * mappings and address leases: {@link io.github.scompose.network}. Pure Java.
 */
module io.github.scompose.network {
  // jackson-core writes and reads the lease files
  requires com.fasterxml.jackson.core;
  // compile time only: the Immutables style and the annotations of the generated classes
  requires static io.github.scompose.style;
  requires static org.immutables.value;
  requires static java.compiler;

  exports io.github.scompose.network;
}
