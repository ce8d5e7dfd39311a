package io.github.scompose.network;

import io.github.scompose.network.internal.LeaseFileCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Address leases shared by every project of one user on one host, in one JSON file, so that two
 * projects planning at the same moment never get the same address (singularity-compose 0.1.19 gave
 * both {@code 10.22.0.2}; the second failed with "requested IP address 10.22.0.2 is not available",
 * its issues #42, #60).
 *
 * <p><b>File.</b> Default: {@code $XDG_STATE_HOME/scompose/leases.json}, or {@code
 * ~/.local/state/scompose/leases.json} when {@code XDG_STATE_HOME} is unset or not absolute (XDG
 * Base Directory Specification 0.8); see {@link #defaultFile(Map, String)}. Any other path can be
 * given to {@link #open(Path)}. The directory is created on first write.
 *
 * <p><b>Concurrency.</b> Every operation reads, decides and writes while holding an exclusive
 * {@link FileChannel#lock() file lock} on {@code <file>.lock} (processes) and a lock per file path
 * (threads of this JVM). The file is written to {@code <file>.tmp}, forced to disk, then renamed
 * over the old file atomically: a crash at any moment leaves either the old or the new content,
 * never a mix. The {@code .lock} file is never deleted (deleting it would let two holders in).
 *
 * <p><b>Bad files.</b> A file that is not JSON, not a scompose lease file or of another format
 * version is never overwritten: the operation throws {@link LeaseFileException} naming the file and
 * the problem, after copying the file to {@code <file>.bak} (or {@code .bak.1}, … when an older
 * different backup exists). {@link #recover()} starts afresh on request.
 *
 * <p><b>Stale leases.</b> On {@link #lease lease}, leases of <em>other</em> projects whose owner
 * the caller's {@link LeaseLiveness} reports as not running are dropped, unless they are younger
 * than the {@linkplain #withReclaimGrace(Duration) reclaim grace} (default 2 minutes), which
 * protects a project whose instances are still starting. Time comes from an injectable {@link
 * Clock}.
 *
 * <p>Instances: immutable; {@code with…} methods return a copy.
 */
public final class LeaseStore {

  /** Default reclaim grace: leases younger than this are never reclaimed. */
  public static final Duration DEFAULT_RECLAIM_GRACE = Duration.ofMinutes(2);

  private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path file;
  private final Clock clock;
  private final Duration reclaimGrace;
  private final boolean readOnly;

  private LeaseStore(Path file, Clock clock, Duration reclaimGrace, boolean readOnly) {
    this.file = file.toAbsolutePath().normalize();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.reclaimGrace = Objects.requireNonNull(reclaimGrace, "reclaimGrace");
    this.readOnly = readOnly;
  }

  /** A store backed by {@code file} (created on first write), system UTC clock, default grace. */
  public static LeaseStore open(Path file) {
    return new LeaseStore(file, Clock.systemUTC(), DEFAULT_RECLAIM_GRACE, false);
  }

  /** A store at {@link #defaultFile(Map, String)} for this process's environment and home. */
  public static LeaseStore openDefault() {
    return open(defaultFile(System.getenv(), System.getProperty("user.home")));
  }

  /**
   * The default lease file: {@code $XDG_STATE_HOME/scompose/leases.json} when {@code
   * XDG_STATE_HOME} is set to an absolute path, else {@code <userHome>/.local/state/scompose/
   * leases.json}.
   */
  public static Path defaultFile(Map<String, String> environment, String userHome) {
    String xdg = environment.get("XDG_STATE_HOME");
    Path base =
        xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : Path.of(userHome, ".local", "state");
    return base.resolve("scompose").resolve("leases.json");
  }

  /** A copy using {@code clock} for lease times and the reclaim grace. */
  public LeaseStore withClock(Clock clock) {
    return new LeaseStore(file, clock, reclaimGrace, readOnly);
  }

  /** A copy with another reclaim grace (zero: reclaim as soon as the owner is not live). */
  public LeaseStore withReclaimGrace(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("reclaim grace " + grace + " is negative");
    }
    return new LeaseStore(file, clock, grace, readOnly);
  }

  /**
   * A view of the same file that answers every call as this store would (the same addresses from
   * {@link #lease}, the same {@link PortConflictException}s) but never writes the file: no lease is
   * taken, renewed, reclaimed or released. For a plan that must have no side effects (a dry run).
   */
  public LeaseStore readOnly() {
    return new LeaseStore(file, clock, reclaimGrace, true);
  }

  /** The lease file. */
  public Path file() {
    return file;
  }

  /** Every lease in the file, in file order (empty when the file does not exist yet). */
  public List<Lease> leases() {
    return locked(leases -> new Outcome<>(List.copyOf(leases), null));
  }

  /**
   * Leases an address for each instance of {@code project}, atomically with respect to every other
   * process using the same file.
   *
   * <p>An instance that already holds a lease in the allocator's CIDR keeps its address (re-running
   * {@code up} does not renumber); its lease time is renewed. Other instances get addresses from
   * {@code allocator}, which skips every address leased by anyone in the file and every address in
   * {@code alsoTaken}. Stale leases of other projects are reclaimed first (see the class comment).
   *
   * @param instances instance names in allocation order, distinct
   * @param alsoTaken addresses seen in use outside the file (e.g. {@code instance list --json})
   * @return instance → address in the order of {@code instances}
   * @throws AddressExhaustedException when the CIDR has too few free addresses (file unchanged)
   * @throws LeaseFileException when the file is bad or cannot be locked, read or written
   * @throws IllegalArgumentException when an instance name repeats
   */
  public Map<String, IpAddress> lease(
      String project,
      AddressAllocator allocator,
      List<String> instances,
      Collection<IpAddress> alsoTaken,
      LeaseLiveness liveness) {
    return lease(project, allocator, instances, Map.of(), alsoTaken, liveness);
  }

  /**
   * Like {@link #lease(String, AddressAllocator, List, Collection, LeaseLiveness)}, also recording
   * the host ports each instance publishes through CNI portmap and refusing a host port (same
   * number and protocol) already recorded by another lease: such ports hold no socket, so only this
   * file can tell that another project forwards them.
   *
   * @param ports instance → its published ports (instances without ports may be absent)
   * @throws PortConflictException listing every host port already published by another lease (file
   *     unchanged)
   */
  public Map<String, IpAddress> lease(
      String project,
      AddressAllocator allocator,
      List<String> instances,
      Map<String, List<PublishedPort>> ports,
      Collection<IpAddress> alsoTaken,
      LeaseLiveness liveness) {
    return lease(project, allocator, instances, ports, Map.of(), null, alsoTaken, liveness)
        .addresses();
  }

  /**
   * What {@link #lease(String, AddressAllocator, List, Map, Map, HostPorts, Collection,
   * LeaseLiveness)} leased: an address per instance, in the order asked, and every instance's
   * published ports, the fixed ones as given followed by the ephemeral ones chosen.
   *
   * @param addresses instance → address
   * @param ports instance → its published ports (instances without ports absent)
   */
  public record Leased(Map<String, IpAddress> addresses, Map<String, List<PublishedPort>> ports) {}

  /**
   * Like {@link #lease(String, AddressAllocator, List, Map, Collection, LeaseLiveness)}, also
   * choosing a host port for every container port published without one ({@code "80"} in a compose
   * file's {@code ports:}) while the file is locked, so that two projects planning at the same
   * moment never choose the same one: a chosen port is never a host port of {@code ports}, nor one
   * another live lease records (those hold no socket, so a try-bind cannot see them), and {@code
   * hostPorts} finds it free now. An instance that already holds a lease of this project keeps the
   * host port it had for the same container port and protocol (a second {@code up} does not move
   * it) when that port is still neither recorded by another lease nor in use.
   *
   * @param ephemeral instance → its publications without host ports ({@link
   *     PortPublication#hostPorts()} empty; one host port per container port of each range)
   * @param hostPorts finds free host ports; may be {@code null} when {@code ephemeral} is empty
   * @throws PortConflictException listing every fixed host port already published by another lease
   *     (file unchanged)
   * @throws NetworkException when no free host port is found (file unchanged)
   * @throws IllegalArgumentException when a publication of {@code ephemeral} has host ports
   */
  public Leased lease(
      String project,
      AddressAllocator allocator,
      List<String> instances,
      Map<String, List<PublishedPort>> ports,
      Map<String, List<PortPublication>> ephemeral,
      HostPorts hostPorts,
      Collection<IpAddress> alsoTaken,
      LeaseLiveness liveness) {
    Objects.requireNonNull(project, "project");
    for (List<PortPublication> list : ephemeral.values()) {
      for (PortPublication p : list) {
        if (p.hostPorts().isPresent()) {
          throw new IllegalArgumentException("publication " + p + " is not ephemeral");
        }
      }
    }
    if (!ephemeral.isEmpty()) {
      Objects.requireNonNull(hostPorts, "hostPorts");
    }
    if (new HashSet<>(instances).size() != instances.size()) {
      throw new IllegalArgumentException("instance names repeat in " + instances);
    }
    return locked(
        current -> {
          Instant now = clock.instant();
          List<Lease> kept = new ArrayList<>();
          for (Lease l : current) {
            if (l.project().equals(project) || !isStale(l, now, liveness)) {
              kept.add(l);
            }
          }
          Set<String> wanted = new HashSet<>(instances);
          Map<String, IpAddress> reused = new HashMap<>();
          Set<IpAddress> taken = new HashSet<>(alsoTaken);
          List<Lease> others = new ArrayList<>();
          for (Lease l : kept) {
            boolean mine = l.project().equals(project) && wanted.contains(l.instance());
            if (mine && l.cidr().equals(allocator.cidr())) {
              reused.put(l.instance(), l.address());
            } else if (!mine) {
              others.add(l);
            }
            if (!mine || l.cidr().equals(allocator.cidr())) {
              taken.add(l.address());
            }
          }
          List<String> fresh = new ArrayList<>();
          for (String name : instances) {
            if (!reused.containsKey(name)) {
              fresh.add(name);
            }
          }
          List<String> conflicts = new ArrayList<>();
          for (String name : instances) {
            for (PublishedPort p : ports.getOrDefault(name, List.of())) {
              for (Lease o : others) {
                for (PublishedPort q : o.ports()) {
                  if (q.hostPort() == p.hostPort() && q.protocol() == p.protocol()) {
                    conflicts.add(
                        "host port "
                            + p.hostPort()
                            + "/"
                            + p.protocol().text()
                            + " of "
                            + name
                            + " is already published by project "
                            + o.project()
                            + " (instance "
                            + o.instance()
                            + ")");
                  }
                }
              }
            }
          }
          if (!conflicts.isEmpty()) {
            throw new PortConflictException(project, conflicts);
          }
          Map<String, List<PublishedPort>> allPorts =
              choosePorts(project, kept, others, instances, ports, ephemeral, hostPorts);
          Map<String, IpAddress> allocated = allocator.allocate(fresh, taken);
          Map<String, IpAddress> result = new LinkedHashMap<>();
          List<Lease> next = new ArrayList<>(others);
          for (String name : instances) {
            IpAddress a = reused.containsKey(name) ? reused.get(name) : allocated.get(name);
            result.put(name, a);
            next.add(
                Lease.builder()
                    .project(project)
                    .instance(name)
                    .cidr(allocator.cidr())
                    .address(a)
                    .leasedAt(now)
                    .ports(allPorts.getOrDefault(name, List.of()))
                    .build());
          }
          return new Outcome<>(
              new Leased(
                  Collections.unmodifiableMap(result), Collections.unmodifiableMap(allPorts)),
              next);
        });
  }

  private record PortKey(Protocol protocol, int port) {}

  /**
   * {@code ports} plus a host port for each container port of {@code ephemeral}: the port this
   * project's lease of the instance had for it when still usable, else one {@code hostPorts} finds
   * free outside every fixed port and every port of {@code others}.
   */
  private static Map<String, List<PublishedPort>> choosePorts(
      String project,
      List<Lease> kept,
      List<Lease> others,
      List<String> instances,
      Map<String, List<PublishedPort>> ports,
      Map<String, List<PortPublication>> ephemeral,
      HostPorts hostPorts) {
    Map<String, List<PublishedPort>> out = new LinkedHashMap<>();
    Set<PortKey> used = new HashSet<>();
    for (Lease o : others) {
      o.ports().forEach(q -> used.add(new PortKey(q.protocol(), q.hostPort())));
    }
    for (String name : instances) {
      List<PublishedPort> fixed = ports.getOrDefault(name, List.of());
      fixed.forEach(q -> used.add(new PortKey(q.protocol(), q.hostPort())));
      if (!fixed.isEmpty()) {
        out.put(name, new ArrayList<>(fixed));
      }
    }
    for (String name : instances) {
      List<PortPublication> wanted = ephemeral.getOrDefault(name, List.of());
      if (wanted.isEmpty()) {
        continue;
      }
      List<PublishedPort> before =
          kept.stream()
              .filter(l -> l.project().equals(project) && l.instance().equals(name))
              .flatMap(l -> l.ports().stream())
              .toList();
      List<PublishedPort> mine = out.computeIfAbsent(name, k -> new ArrayList<>());
      for (PortPublication p : wanted) {
        for (int k = 0; k < p.containerPorts().size(); k++) {
          int container = p.containerPorts().first() + k;
          Protocol protocol = p.protocol();
          Optional<Integer> again =
              before.stream()
                  .filter(q -> q.containerPort() == container && q.protocol() == protocol)
                  .map(PublishedPort::hostPort)
                  .filter(h -> !used.contains(new PortKey(protocol, h)))
                  .filter(h -> hostPorts.isFree(protocol, Optional.empty(), h))
                  .findFirst();
          int host =
              again.orElseGet(
                  () -> {
                    Set<Integer> exclude = new HashSet<>();
                    used.stream()
                        .filter(u -> u.protocol() == protocol)
                        .forEach(u -> exclude.add(u.port()));
                    return hostPorts.findFree(protocol, Optional.empty(), exclude);
                  });
          used.add(new PortKey(protocol, host));
          mine.add(
              PublishedPort.builder()
                  .hostPort(host)
                  .containerPort(container)
                  .protocol(protocol)
                  .build());
        }
      }
    }
    Map<String, List<PublishedPort>> frozen = new LinkedHashMap<>();
    out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return frozen;
  }

  /**
   * Drops every lease of {@code project} (on {@code down}).
   *
   * @return how many leases were dropped
   */
  public int release(String project) {
    return locked(
        current -> {
          List<Lease> next = current.stream().filter(l -> !l.project().equals(project)).toList();
          int dropped = current.size() - next.size();
          return new Outcome<>(dropped, dropped == 0 ? null : next);
        });
  }

  /**
   * Drops the lease of one instance of {@code project}.
   *
   * @return {@code true} when a lease was dropped
   */
  public boolean release(String project, String instance) {
    return locked(
        current -> {
          List<Lease> next =
              current.stream()
                  .filter(l -> !(l.project().equals(project) && l.instance().equals(instance)))
                  .toList();
          boolean dropped = next.size() != current.size();
          return new Outcome<>(dropped, dropped ? next : null);
        });
  }

  /**
   * Drops every lease (of any project) that is past the reclaim grace and that {@code liveness}
   * reports as not running.
   *
   * @return the dropped leases
   */
  public List<Lease> reclaimStale(LeaseLiveness liveness) {
    return locked(
        current -> {
          Instant now = clock.instant();
          List<Lease> next = new ArrayList<>();
          List<Lease> dropped = new ArrayList<>();
          for (Lease l : current) {
            (isStale(l, now, liveness) ? dropped : next).add(l);
          }
          return new Outcome<>(List.copyOf(dropped), dropped.isEmpty() ? null : next);
        });
  }

  /**
   * Starts afresh after a bad lease file: when the file cannot be read, it is copied to a backup
   * and replaced by an empty lease file. A readable file is left alone.
   *
   * @return the backup made, or empty when the file was fine or absent
   */
  public Optional<Path> recover() {
    return withFileLock(
        () -> {
          Optional<byte[]> bytes = readBytes();
          if (bytes.isEmpty()) {
            return Optional.empty();
          }
          try {
            LeaseFileCodec.decode(new String(bytes.get(), StandardCharsets.UTF_8));
            return Optional.empty();
          } catch (LeaseFileCodec.BadContent e) {
            Path backup = backup(bytes.get());
            write(List.of());
            return Optional.of(backup);
          }
        });
  }

  private boolean isStale(Lease l, Instant now, LeaseLiveness liveness) {
    return !l.leasedAt().plus(reclaimGrace).isAfter(now) && !liveness.isLive(l);
  }

  private record Outcome<T>(T result, List<Lease> write) {}

  private <T> T locked(Function<List<Lease>, Outcome<T>> action) {
    return withFileLock(
        () -> {
          Outcome<T> outcome = action.apply(read());
          if (outcome.write() != null && !readOnly) {
            write(outcome.write());
          }
          return outcome.result();
        });
  }

  private interface Locked<T> {
    T run() throws IOException;
  }

  private <T> T withFileLock(Locked<T> body) {
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
    jvmLock.lock();
    try {
      Files.createDirectories(file.getParent());
      Path lockFile = sibling(".lock");
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return body.run();
      }
    } catch (IOException e) {
      throw new LeaseFileException(file, "I/O error: " + e, null, e);
    } finally {
      jvmLock.unlock();
    }
  }

  private Path sibling(String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }

  private Optional<byte[]> readBytes() throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private List<Lease> read() throws IOException {
    Optional<byte[]> bytes = readBytes();
    if (bytes.isEmpty()) {
      return List.of();
    }
    try {
      return LeaseFileCodec.decode(new String(bytes.get(), StandardCharsets.UTF_8));
    } catch (LeaseFileCodec.BadContent e) {
      throw new LeaseFileException(file, e.getMessage(), backup(bytes.get()), e);
    }
  }

  /** Copies bad content next to the file; reuses an identical existing backup. */
  private Path backup(byte[] content) throws IOException {
    for (int i = 0; ; i++) {
      Path candidate = sibling(i == 0 ? ".bak" : ".bak." + i);
      if (!Files.exists(candidate)) {
        Files.write(candidate, content, StandardOpenOption.CREATE_NEW);
        return candidate;
      }
      if (Arrays.equals(Files.readAllBytes(candidate), content)) {
        return candidate;
      }
    }
  }

  private void write(List<Lease> leases) throws IOException {
    Path tmp = sibling(".tmp");
    byte[] bytes = LeaseFileCodec.encode(leases).getBytes(StandardCharsets.UTF_8);
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new LeaseFileException(
          file, "the file system does not support atomic rename; choose another path", null, e);
    }
  }
}
