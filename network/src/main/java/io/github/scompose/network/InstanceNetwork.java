package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The network part of one instance's start, as data for core to turn into flags of its dialect. For
 * SingularityCE 3.x the mapping is (recorded from SingularityCE 3.4.2, {@code instance start --net
 * --network bridge --network-args IP=10.22.0.2 --hostname app --bind /tmp/hosts:/etc/hosts}):
 *
 * <ul>
 *   <li>{@link #net()} → {@code --net};
 *   <li>{@link #network()} → {@code --network NAME};
 *   <li>each of {@link #networkArgs()} → {@code --network-args ARG} (one flag per argument, the
 *       value unquoted);
 *   <li>{@link #hostname()} → {@code --hostname NAME};
 *   <li>{@link #fakeroot()} → {@code --fakeroot};
 *   <li>each of {@link #binds()} → {@code --bind DIR/FILE:PATH}.
 * </ul>
 */
@Value.Immutable
@ValueStyle
public interface InstanceNetwork extends WithInstanceNetwork {

  /** The instance name. */
  String instance();

  /** The service name. */
  String service();

  /** The mode, the project's. */
  NetworkMode mode();

  /** {@code true} to start the instance in a new network namespace ({@code --net}). */
  boolean net();

  /** The CNI network to join ({@code --network}); empty in host mode. */
  Optional<String> network();

  /** The address fixed by the plan; empty unless bridge with address allocation. */
  Optional<IpAddress> address();

  /** The CNI arguments: {@code IP=<address>} first, then one {@code portmap=H:C/proto} per port. */
  List<String> networkArgs();

  /** The ports published, ephemeral ones resolved. */
  List<PublishedPort> ports();

  /** The host name; empty in host mode (the instance shares the host's). */
  Optional<String> hostname();

  /** {@code true} when the instance must be started with {@code --fakeroot} to join its network. */
  boolean fakeroot();

  /** Files of the plan bound into this instance. */
  List<FileBind> binds();

  /**
   * The flags above in SingularityCE 3.x order, binds excluded (their host path is core's): e.g.
   * {@code [--net, --network, bridge, --network-args, IP=10.22.0.2, --hostname, web1]}. A list of
   * argv elements, never a shell string.
   */
  default List<String> singularityFlags() {
    List<String> argv = new ArrayList<>();
    if (fakeroot()) {
      argv.add("--fakeroot");
    }
    if (net()) {
      argv.add("--net");
    }
    network()
        .ifPresent(
            n -> {
              argv.add("--network");
              argv.add(n);
            });
    for (String a : networkArgs()) {
      argv.add("--network-args");
      argv.add(a);
    }
    hostname()
        .ifPresent(
            h -> {
              argv.add("--hostname");
              argv.add(h);
            });
    return argv;
  }

  /**
   * A new, empty builder of {@link InstanceNetwork}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  default Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link InstanceNetwork}; get one from {@link InstanceNetwork#builder()} or {@link
   * InstanceNetwork#toBuilder()}.
   */
  static final class Builder extends ImmutableInstanceNetwork.Builder {
    Builder() {}
  }
}
