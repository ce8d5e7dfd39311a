package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The network of one project, decided before anything starts: the mode and why, the files to write
 * ({@code etc.hosts}, {@code resolv.conf}) and, per instance, what its start needs ({@link
 * InstanceNetwork}). Made by {@link NetworkPlanner#plan(NetworkRequest)}; immutable, so a dry run
 * can print exactly what {@code up} will do.
 */
@Value.Immutable
@ValueStyle
public interface NetworkPlan extends WithNetworkPlan {

  /** The project name. */
  String project();

  /** The chosen mode. */
  NetworkMode mode();

  /**
   * Why this mode was chosen, one sentence, e.g. {@code "not root and no fakeroot: host
   * networking"}.
   */
  String reason();

  /**
   * The one line that says the mode and why, as {@code up} prints and logs it: {@code network: MODE
   * (REASON)}, e.g. {@code network: bridge (no network mode requested, running as root: bridge
   * network 'bridge')}.
   */
  default String describe() {
    return "network: " + mode().name().toLowerCase(java.util.Locale.ROOT) + " (" + reason() + ")";
  }

  /** The bridge subnet; present in bridge mode. */
  Optional<Cidr> cidr();

  /** The hosts file every instance binds to {@code /etc/hosts}; empty in none mode. */
  Optional<HostsFile> hostsFile();

  /** The resolver configuration bound to {@code /etc/resolv.conf}; present in bridge mode. */
  Optional<ResolvConf> resolvConf();

  /** Files to write before starting, with their content. */
  List<PlannedFile> files();

  /** Per instance, in request order. */
  List<InstanceNetwork> instances();

  /**
   * Warnings the user should see (ignored host IPs, remapped ports in host mode, a bridge request
   * that fell back to host networking, a resolver with no name server).
   */
  List<String> notes();

  /**
   * The instance named {@code name}.
   *
   * @throws IllegalArgumentException when the plan has no such instance
   */
  default InstanceNetwork instance(String name) {
    return instances().stream()
        .filter(i -> i.instance().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no instance '" + name + "' in " + project()));
  }

  /**
   * A new, empty builder of {@link NetworkPlan}.
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
   * Builds a {@link NetworkPlan}; get one from {@link NetworkPlan#builder()} or {@link
   * NetworkPlan#toBuilder()}.
   */
  static final class Builder extends ImmutableNetworkPlan.Builder {
    Builder() {}
  }
}
