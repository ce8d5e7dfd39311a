package io.github.scompose.testkit;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.ImageCache;
import io.github.scompose.core.client.InstanceLogs;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.client.LogOffsets;
import io.github.scompose.core.client.PublishedPorts;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.network.AddressAllocator;
import io.github.scompose.network.Cidr;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.IpAddress;
import io.github.scompose.network.LeaseLiveness;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.PortPublication;
import io.github.scompose.network.PortRange;
import io.github.scompose.network.Protocol;
import io.github.scompose.network.PublishedPort;
import io.github.scompose.spec.PortMapping;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import io.github.scompose.testkit.wait.WaitStrategy;
import io.github.scompose.testkit.wait.WaitTarget;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One Singularity instance for a test, configured fluently and started with {@link #start()}:
 * Testcontainers' {@code GenericContainer}, Singularity's way ({@code instance start OPTIONS IMAGE
 * NAME ARGS} through a {@link SingularityClient}). {@link #close()} is {@link #stop()}, so
 * try-with-resources leaves nothing running.
 *
 * <pre>{@code
 * try (InstanceContainer web =
 *     InstanceContainer.of(client, "docker://nginx:1.25")
 *         .withEnv("NGINX_PORT", "8080")
 *         .withBind("/data/site", "/usr/share/nginx/html")
 *         .withNetwork("bridge")          // as root; else host networking (the default)
 *         .withExposedPorts(8080)         // an ephemeral host port on the bridge
 *         .waitingFor(Wait.forListeningPort(8080))) {
 *   web.start();
 *   URI uri = URI.create("http://localhost:" + web.mappedPort(8080) + "/");
 * }
 * }</pre>
 *
 * <p><b>Defaults</b>: name {@code scompose-} and 8 random hex digits; no environment, binds,
 * options, startscript arguments or ports; host networking; no wait strategy; no image cache; the
 * per-user lease store ({@link LeaseStore#openDefault()}) and this host's ports ({@link
 * HostPorts#system()}) for bridge ports; the system clock and sleeper for waits.
 *
 * <p><b>Networks and ports.</b> In host networking (no {@code --net}: the default, and what a user
 * who is neither root nor allowed fakeroot gets) the instance shares the host's ports: {@link
 * #mappedPort} of a container port is that port itself, and {@link #withExposedPorts} only tells
 * wait strategies which ports to try. With {@link #withNetwork(String)} the instance joins a CNI
 * network ({@code --net --network NAME}; {@code fakeroot} adds {@code --fakeroot}): it gets an
 * address leased from the per-user lease store ({@code --network-args IP=…}, in {@code
 * 10.22.0.0/16}, or {@code 10.23.0.0/16} for {@code fakeroot}, unless {@link #withNetworkCidr}) and
 * one {@code --network-args portmap=HOST:CONTAINER/tcp} per exposed port, the host port of an
 * {@linkplain #withExposedPorts exposed port} chosen free while the lease file is locked, outside
 * every port another project's lease records, so concurrent test runs never share one. The lease is
 * released by {@link #stop()}.
 *
 * <p><b>Environment</b> values reach the instance, and every {@link #exec}, through the client's
 * env file, never argv. Not thread-safe while being configured; {@link #exec}, {@link #logs} and
 * {@link #stop()} may be called from any thread once started.
 */
public final class InstanceContainer implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Cidr BRIDGE = Cidr.parse("10.22.0.0/16");
  private static final Cidr FAKEROOT = Cidr.parse("10.23.0.0/16");

  private final SingularityClient client;
  private final String image;
  private String name;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<Bind> binds = new ArrayList<>();
  private final List<String> options = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private final List<Integer> exposed = new ArrayList<>();
  private final Map<Integer, Integer> fixed = new LinkedHashMap<>();
  private Optional<String> network = Optional.empty();
  private Optional<Cidr> cidr = Optional.empty();
  private final List<WaitStrategy> waits = new ArrayList<>();
  private Optional<ImageCache> imageCache = Optional.empty();
  private LeaseStore leases;
  private HostPorts hostPorts;
  private Clock clock = Clock.systemUTC();
  private Sleeper sleeper = Sleeper.system();

  private volatile InstanceStart started;
  private volatile LogOffsets logStart;
  private volatile boolean stopped;

  private InstanceContainer(SingularityClient client, String image) {
    this.client = Objects.requireNonNull(client, "client");
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("the image is blank");
    }
    this.image = image;
    byte[] random = new byte[4];
    RANDOM.nextBytes(random);
    this.name = "scompose-" + HexFormat.of().formatHex(random);
  }

  /**
   * A container of {@code image} (a SIF or sandbox path on the client's host, or a URI such as
   * {@code docker://redis:7}) run with {@code client}; not started.
   *
   * @throws IllegalArgumentException when {@code image} is blank
   */
  public static InstanceContainer of(SingularityClient client, String image) {
    return new InstanceContainer(client, image);
  }

  private void configurable() {
    if (started != null) {
      throw new IllegalStateException(name + " is started: configure it before start()");
    }
  }

  /** The instance name (default {@code scompose-} and 8 random hex digits). */
  public InstanceContainer withName(String name) {
    configurable();
    this.name = Objects.requireNonNull(name, "name");
    return this;
  }

  /** Adds (or replaces) an environment variable of the instance and of its {@link #exec}s. */
  public InstanceContainer withEnv(String key, String value) {
    configurable();
    environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds every entry of {@code variables}, as {@link #withEnv(String, String)}. */
  public InstanceContainer withEnv(Map<String, String> variables) {
    variables.forEach(this::withEnv);
    return this;
  }

  /**
   * Binds {@code hostPath} at {@code containerPath} ({@code --bind SRC:DEST}).
   *
   * @throws IllegalArgumentException for a path with {@code :} or {@code ,} (see {@link Bind})
   */
  public InstanceContainer withBind(String hostPath, String containerPath) {
    configurable();
    binds.add(Bind.of(hostPath, containerPath));
    return this;
  }

  /** Adds a bind as written for {@code --bind}, e.g. {@code /data:/data:ro}. */
  public InstanceContainer withBind(Bind bind) {
    configurable();
    binds.add(Objects.requireNonNull(bind, "bind"));
    return this;
  }

  /**
   * Publishes TCP container ports: on a {@linkplain #withNetwork network}, each on an ephemeral
   * host port ({@link #mappedPort} says which); in host networking the instance listens on the
   * host's ports itself and these only tell wait strategies which ports to try.
   */
  public InstanceContainer withExposedPorts(int... containerPorts) {
    configurable();
    for (int p : containerPorts) {
      PortRange.single(p); // checks 1..65535
      if (!exposed.contains(p) && !fixed.containsKey(p)) {
        exposed.add(p);
      }
    }
    return this;
  }

  /**
   * Publishes TCP {@code containerPort} on the fixed {@code hostPort} (on a network; in host
   * networking only {@code hostPort == containerPort} can be honoured).
   *
   * @throws IllegalArgumentException for a port outside 1..65535
   */
  public InstanceContainer withPortBinding(int hostPort, int containerPort) {
    configurable();
    PortRange.single(hostPort);
    PortRange.single(containerPort);
    exposed.remove(Integer.valueOf(containerPort));
    fixed.put(containerPort, hostPort);
    return this;
  }

  /**
   * Joins the CNI network {@code network} ({@code --net --network NAME}): {@code bridge} needs
   * root; {@code fakeroot} adds {@code --fakeroot} (SingularityCE lets fakeroot users join only
   * that one). Default: host networking (no {@code --net}).
   */
  public InstanceContainer withNetwork(String network) {
    configurable();
    this.network = Optional.of(Objects.requireNonNull(network, "network"));
    return this;
  }

  /**
   * The subnet of the {@linkplain #withNetwork network} to lease the address from; default {@code
   * 10.22.0.0/16} ({@code bridge}), {@code 10.23.0.0/16} for {@code fakeroot}.
   */
  public InstanceContainer withNetworkCidr(Cidr cidr) {
    configurable();
    this.cidr = Optional.of(Objects.requireNonNull(cidr, "cidr"));
    return this;
  }

  /** Adds options before the image, e.g. {@code --writable-tmpfs}, {@code --contain}. */
  public InstanceContainer withOptions(String... options) {
    configurable();
    this.options.addAll(List.of(options));
    return this;
  }

  /** The startscript's arguments (after the instance name); replaces earlier ones. */
  public InstanceContainer withCommand(String... args) {
    configurable();
    this.args.clear();
    this.args.addAll(List.of(args));
    return this;
  }

  /** A wait strategy run by {@link #start()} once the instance started; several run in order. */
  public InstanceContainer waitingFor(WaitStrategy strategy) {
    configurable();
    waits.add(Objects.requireNonNull(strategy, "strategy"));
    return this;
  }

  /**
   * Gets an image given as a URI through {@code cache} (pulled once per user and reference, see
   * {@link ImageCache}) and starts the instance from the cached file; default: the URI is given to
   * {@code instance start} as it is.
   */
  public InstanceContainer withImageCache(ImageCache cache) {
    configurable();
    this.imageCache = Optional.of(Objects.requireNonNull(cache, "cache"));
    return this;
  }

  /** The lease store for network addresses and ports; default {@link LeaseStore#openDefault()}. */
  public InstanceContainer withLeaseStore(LeaseStore leases) {
    configurable();
    this.leases = Objects.requireNonNull(leases, "leases");
    return this;
  }

  /**
   * Where free host ports are looked for; default {@link HostPorts#system()} (the testkit's fake:
   * {@link FakeRuntime#hostPorts()}).
   */
  public InstanceContainer withHostPorts(HostPorts hostPorts) {
    configurable();
    this.hostPorts = Objects.requireNonNull(hostPorts, "hostPorts");
    return this;
  }

  /** The clock and sleeper of waits; default the system's (the fake's virtual time in tests). */
  public InstanceContainer withTime(Clock clock, Sleeper sleeper) {
    configurable();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  /** The instance name. */
  public String name() {
    return name;
  }

  /** Whether {@link #start()} succeeded and {@link #stop()} was not called since. */
  public boolean isStarted() {
    return started != null && !stopped;
  }

  /**
   * Starts the instance ({@code instance start}), then runs the wait strategies. When a wait fails
   * the instance is stopped (and its lease released) before the exception is thrown.
   *
   * @throws IllegalStateException when it was started before
   * @throws SingularityException when the image cannot be pulled or the start fails (e.g. {@link
   *     io.github.scompose.core.errors.InstanceAlreadyExistsException} for a name in use); nothing
   *     is left leased then
   * @throws io.github.scompose.network.NetworkException when no address or host port can be leased
   * @throws io.github.scompose.testkit.wait.NotReadyException when a wait strategy gives up
   */
  public synchronized InstanceContainer start() {
    if (started != null) {
      throw new IllegalStateException(
          name + " was started before: an InstanceContainer starts once");
    }
    String from =
        imageCache.isPresent() && image.contains("://")
            ? imageCache.get().get(client, image).toString()
            : image;
    InstanceStart.Builder b =
        InstanceStart.builder()
            .image(from)
            .name(name)
            .args(args)
            .environment(environment)
            .binds(binds)
            .options(options);
    boolean leased = false;
    if (network.isPresent()) {
      leased = true;
      try {
        network(b);
      } catch (RuntimeException e) {
        leases().release(name);
        throw e;
      }
    }
    InstanceStart start = b.build();
    LogOffsets offsets = client.logSizes(name);
    try {
      client.start(start);
    } catch (RuntimeException e) {
      if (leased) {
        leases().release(name);
      }
      throw e;
    }
    this.logStart = offsets;
    this.started = start;
    this.stopped = false;
    try {
      WaitTarget target = waitTarget();
      for (WaitStrategy w : waits) {
        w.waitUntilReady(target);
      }
    } catch (RuntimeException e) {
      try {
        stop();
      } catch (RuntimeException s) {
        e.addSuppressed(s);
      }
      throw e;
    }
    return this;
  }

  private void network(InstanceStart.Builder b) {
    String net = network.get();
    boolean fakeroot = net.equals("fakeroot");
    Cidr subnet = cidr.orElse(fakeroot ? FAKEROOT : BRIDGE);
    AddressAllocator allocator =
        AddressAllocator.builder().cidr(subnet).gateway(subnet.firstHost()).build();
    List<PublishedPort> fixedPorts = new ArrayList<>();
    fixed.forEach(
        (container, host) -> fixedPorts.add(PublishedPort.parse(host + ":" + container + "/tcp")));
    List<PortPublication> ephemeral = new ArrayList<>();
    for (int p : exposed) {
      ephemeral.add(PortPublication.builder().containerPorts(PortRange.single(p)).build());
    }
    LeaseStore.Leased l =
        leases()
            .lease(
                name,
                allocator,
                List.of(name),
                fixedPorts.isEmpty() ? Map.of() : Map.of(name, fixedPorts),
                ephemeral.isEmpty() ? Map.of() : Map.of(name, ephemeral),
                hostPorts(),
                List.of(),
                LeaseLiveness.assumeAlive());
    IpAddress address = l.addresses().get(name);
    b.net(true).network(net).fakeroot(fakeroot).addNetworkArgs("IP=" + address);
    for (PublishedPort p : l.ports().getOrDefault(name, List.of())) {
      b.addNetworkArgs(p.portmapArg());
    }
  }

  private LeaseStore leases() {
    if (leases == null) {
      leases = LeaseStore.openDefault();
    }
    return leases;
  }

  private HostPorts hostPorts() {
    if (hostPorts == null) {
      hostPorts = HostPorts.system();
    }
    return hostPorts;
  }

  private InstanceStart requireStarted() {
    InstanceStart s = started;
    if (s == null) {
      throw new IllegalStateException(name + " is not started: call start() first");
    }
    return s;
  }

  /**
   * The host port on which TCP {@code containerPort} is reachable from this host (Testcontainers'
   * {@code getMappedPort}): in host networking {@code containerPort} itself (the instance shares
   * the host's ports); on a network, the host port of its portmap (the ephemeral one chosen for an
   * {@linkplain #withExposedPorts exposed port}).
   *
   * @throws IllegalStateException before {@link #start()}
   * @throws IllegalArgumentException when, on a network, {@code containerPort} is not published
   */
  public int mappedPort(int containerPort) {
    InstanceStart s = requireStarted();
    return PublishedPorts.hostPort(s, containerPort, Protocol.TCP)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    name
                        + " does not publish container port "
                        + containerPort
                        + "/tcp (its ports: "
                        + PublishedPorts.of(s).stream().map(PublishedPort::text).toList()
                        + ")"));
  }

  /** The host to connect to for a {@link #mappedPort}: {@code localhost}. */
  public String host() {
    return "localhost";
  }

  /**
   * Runs {@code command} in the instance ({@code exec instance://NAME …}) with the instance's
   * environment, and returns its result whatever its exit code (Testcontainers' {@code
   * execInContainer}): a command missing from the image is exit code 255 with the binary's {@code
   * FATAL:} line on stderr.
   *
   * @throws IllegalStateException before {@link #start()}
   * @throws InstanceNotFoundException when the instance is no longer running
   */
  public CommandResult exec(String... command) {
    requireStarted();
    return client.execAnyExit(
        Exec.builder()
            .target("instance://" + name)
            .command(List.of(command))
            .environment(environment)
            .build());
  }

  /** What this run of the instance logged: its {@code .out} then its {@code .err} text. */
  public String logs() {
    requireStarted();
    InstanceLogs logs = client.logs(name, logStart);
    return logs.out() + logs.err();
  }

  /** What wait strategies look at for this instance (its mapped ports included). */
  public WaitTarget waitTarget() {
    InstanceStart s = requireStarted();
    List<PortMapping> mappings = new ArrayList<>();
    List<Integer> ports = new ArrayList<>(exposed);
    ports.addAll(fixed.keySet());
    for (int p : ports) {
      int host = PublishedPorts.hostPort(s, p, Protocol.TCP).orElse(p);
      mappings.add(
          PortMapping.builder()
              .containerPorts(PortMapping.PortRange.of(p, p))
              .hostPorts(PortMapping.PortRange.of(host, host))
              .build());
    }
    return InstanceWaitTarget.builder(client, name)
        .clock(clock)
        .sleeper(sleeper)
        .ports(mappings)
        .logsFrom(logStart.out(), logStart.err())
        .build();
  }

  /**
   * Stops the instance ({@code instance stop NAME}) and releases its network lease; idempotent, and
   * nothing to do before {@link #start()}. An instance already gone counts as stopped.
   *
   * @throws SingularityException when the stop fails and the instance is still listed (it stays
   *     started, so a later call tries again)
   */
  public synchronized void stop() {
    InstanceStart s = started;
    if (s == null || stopped) {
      return;
    }
    try {
      client.stop(InstanceStop.of(name));
    } catch (InstanceNotFoundException e) {
      // already gone
    } catch (SingularityException e) {
      if (client.find(name).isPresent()) {
        throw e;
      }
    }
    stopped = true;
    if (s.net()) {
      leases().release(name);
    }
  }

  /** {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "InstanceContainer[" + name + " of " + image + (isStarted() ? ", started" : "") + "]";
  }
}
