package io.github.scompose.network;

import io.github.scompose.style.ValueStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.immutables.value.Value;

/**
 * The file bound to {@code /etc/hosts} in every instance of a project: a list of {@link HostsEntry}
 * lines.
 *
 * <p>{@link #forProject(List, List)} builds it in this order:
 *
 * <ol>
 *   <li>{@code 127.0.0.1 localhost};
 *   <li>the IPv6 lines of Debian's and Docker's default hosts file: {@code ::1 ip6-localhost
 *       ip6-loopback}, {@code fe00:: ip6-localnet}, {@code ff00:: ip6-mcastprefix}, {@code ff02::1
 *       ip6-allnodes}, {@code ff02::2 ip6-allrouters} (addresses in RFC 5952 form: {@code fe00::}
 *       is {@code fe00::0});
 *   <li>one line per instance: its address, its instance name and, for replica 1, the bare service
 *       name as an alias (so {@code redis} resolves as under docker compose; singularity-compose
 *       0.1.19 wrote only {@code redis1});
 *   <li>the project's {@code extra_hosts}.
 * </ol>
 *
 * A name is written once: a later duplicate (an alias equal to an instance name, an extra host
 * repeating a name) is dropped from its line, and a line left without names is dropped. Resolvers
 * take the first match, so the earlier line wins anyway.
 *
 * <p>Text form ({@link #render()}): one entry per line, address, a tab, names separated by single
 * spaces, each line ending with {@code \n}. {@link #parse(String)} reads any hosts(5) file
 * (comments from {@code #}, blank lines and runs of spaces or tabs allowed) and {@code
 * parse(f.render())} equals {@code f}.
 */
@Value.Immutable
@ValueStyle
public abstract class HostsFile implements WithHostsFile {

  /** The lines, in file order. */
  public abstract List<HostsEntry> entries();

  /** The standard lines written before the instances (localhost and the IPv6 lines). */
  public static List<HostsEntry> standardEntries() {
    return List.of(
        HostsEntry.of(IpAddress.parse("127.0.0.1"), "localhost"),
        HostsEntry.of(IpAddress.parse("::1"), "ip6-localhost", "ip6-loopback"),
        HostsEntry.of(IpAddress.parse("fe00::"), "ip6-localnet"),
        HostsEntry.of(IpAddress.parse("ff00::"), "ip6-mcastprefix"),
        HostsEntry.of(IpAddress.parse("ff02::1"), "ip6-allnodes"),
        HostsEntry.of(IpAddress.parse("ff02::2"), "ip6-allrouters"));
  }

  /** The hosts file of a project; see the class comment for the order and the alias rule. */
  public static HostsFile forProject(List<InstanceAddress> instances, List<HostsEntry> extraHosts) {
    Set<String> written = new HashSet<>();
    List<HostsEntry> out = new ArrayList<>(instances.size() + extraHosts.size() + 6);
    for (HostsEntry e : standardEntries()) {
      add(out, written, e.address(), e.hostnames());
    }
    for (InstanceAddress i : instances) {
      List<String> names =
          i.replica() == 1 ? List.of(i.instance(), i.service()) : List.of(i.instance());
      add(out, written, i.address(), names);
    }
    for (HostsEntry e : extraHosts) {
      add(out, written, e.address(), e.hostnames());
    }
    return HostsFile.builder().entries(out).build();
  }

  private static void add(
      List<HostsEntry> out, Set<String> written, IpAddress address, List<String> names) {
    List<String> fresh = new ArrayList<>(names.size());
    for (String n : names) {
      if (written.add(n)) {
        fresh.add(n);
      }
    }
    if (!fresh.isEmpty()) {
      out.add(HostsEntry.builder().address(address).hostnames(fresh).build());
    }
  }

  /** The file text. */
  public String render() {
    StringBuilder sb = new StringBuilder(entries().size() * 32);
    for (HostsEntry e : entries()) {
      sb.append(e.address()).append('\t');
      List<String> names = e.hostnames();
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(names.get(i));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * Reads a hosts(5) file.
   *
   * @throws IllegalArgumentException naming the line number when a line has a bad address or no
   *     name
   */
  public static HostsFile parse(String text) {
    List<HostsEntry> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      String[] fields = line.trim().split("[ \t]+");
      if (fields.length == 1 && fields[0].isEmpty()) {
        continue;
      }
      try {
        if (fields.length < 2) {
          throw new IllegalArgumentException("an address needs at least one name");
        }
        out.add(
            HostsEntry.builder()
                .address(IpAddress.parse(fields[0]))
                .hostnames(Arrays.asList(fields).subList(1, fields.length))
                .build());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hosts file line " + (n + 1) + ": " + e.getMessage(), e);
      }
    }
    return HostsFile.builder().entries(out).build();
  }

  /**
   * A new, empty builder of {@link HostsFile}.
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
   * Builds a {@link HostsFile}; get one from {@link HostsFile#builder()} or {@link
   * HostsFile#toBuilder()}.
   */
  public static final class Builder extends ImmutableHostsFile.Builder {
    Builder() {}
  }
}
