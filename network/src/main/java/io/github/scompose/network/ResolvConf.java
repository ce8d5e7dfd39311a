package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.immutables.value.Value;

/**
 * The file bound to {@code /etc/resolv.conf} in bridge-networked instances (resolv.conf(5)): name
 * servers, search domains and options.
 *
 * <p>Default: the host's own entries ({@link #readHost(Path, Path)}), not hard-coded public DNS
 * (singularity-compose 0.1.19 wrote {@code 8.8.8.8} and {@code 8.8.4.4}, which compute nodes often
 * cannot reach). Name servers are kept as text: a link-local server may carry a zone ({@code
 * fe80::1%eth0}), which {@link IpAddress} refuses.
 */
@Value.Immutable
@ValueStyle
public abstract class ResolvConf implements WithResolvConf {

  /** Name server addresses, in order (the C library uses the first three). */
  public abstract List<String> nameservers();

  /** Search domains, in order ({@code search}; a {@code domain} line counts as one). */
  public abstract List<String> searchDomains();

  /** Resolver options, e.g. {@code ndots:2}, {@code edns0}. */
  public abstract List<String> options();

  /** The file text: {@code nameserver} lines, then {@code search}, then {@code options}. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (String ns : nameservers()) {
      sb.append("nameserver ").append(ns).append('\n');
    }
    if (!searchDomains().isEmpty()) {
      sb.append("search ").append(String.join(" ", searchDomains())).append('\n');
    }
    if (!options().isEmpty()) {
      sb.append("options ").append(String.join(" ", options())).append('\n');
    }
    return sb.toString();
  }

  /**
   * Reads resolv.conf text: {@code nameserver}, {@code search}, {@code domain} and {@code options}
   * lines; comments ({@code #} or {@code ;} at line start), blank and other lines are skipped. As
   * in resolv.conf(5), the last {@code search}/{@code domain} line wins.
   */
  public static ResolvConf parse(String text) {
    List<String> ns = new ArrayList<>();
    List<String> search = new ArrayList<>();
    List<String> options = new ArrayList<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      String[] f = line.split("[ \t]+");
      List<String> rest = Arrays.asList(f).subList(1, f.length);
      switch (f[0]) {
        case "nameserver" -> {
          if (!rest.isEmpty()) {
            ns.add(rest.get(0));
          }
        }
        case "search", "domain" -> {
          search.clear();
          search.addAll(f[0].equals("domain") && !rest.isEmpty() ? rest.subList(0, 1) : rest);
        }
        case "options" -> options.addAll(rest);
        default -> {
          // sortlist and unknown keywords: not carried over
        }
      }
    }
    return ResolvConf.builder().nameservers(ns).searchDomains(search).options(options).build();
  }

  /** Reads a resolv.conf file; a missing file gives an empty configuration. */
  public static ResolvConf read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return ResolvConf.builder().build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The host's resolver configuration as seen from a separate network namespace: {@code resolvConf}
   * (normally {@code /etc/resolv.conf}); when all its name servers are loopback addresses
   * (systemd-resolved's stub {@code 127.0.0.53}, a local dnsmasq), which a bridged instance cannot
   * reach, the name servers of {@code upstream} (normally {@code /run/systemd/resolve/resolv.conf})
   * are used instead when it lists any. Docker does the same.
   */
  public static ResolvConf readHost(Path resolvConf, Path upstream) {
    ResolvConf host = read(resolvConf);
    if (!host.nameservers().isEmpty()
        && host.nameservers().stream().allMatch(ResolvConf::isLoopback)) {
      ResolvConf up = read(upstream);
      List<String> reachable = up.nameservers().stream().filter(s -> !isLoopback(s)).toList();
      if (!reachable.isEmpty()) {
        return host.withNameservers(reachable);
      }
    }
    return host;
  }

  private static boolean isLoopback(String server) {
    try {
      return IpAddress.parse(server).isLoopback();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A new, empty builder of {@link ResolvConf}.
   *
   * @return a builder; its {@code build()} throws {@link IllegalStateException} naming every
   *     mandatory attribute not set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every attribute of this value, to build a changed copy; this value stays
   * unchanged.
   *
   * @return a new builder, initialised from this value
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * Builds a {@link ResolvConf}; get one from {@link ResolvConf#builder()} or {@link
   * ResolvConf#toBuilder()}.
   */
  public static final class Builder extends ImmutableResolvConf.Builder {
    Builder() {}
  }
}
