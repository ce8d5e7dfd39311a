package io.github.scompose.core.compose;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.Dialect;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.errors.BinaryNotFoundException;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.network.HostPorts;
import io.github.scompose.network.LeaseStore;
import io.github.scompose.network.NetworkPlanner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The default wiring of an engine, in one place, so that the CLI, {@link Compose#local()} and the
 * testkit's JUnit extension plan a project alike:
 *
 * <ul>
 *   <li><b>runtime choice</b> ({@link #selectRuntime}): an explicit choice wins, then the system
 *       property {@value RuntimeChoice#PROPERTY}, then the environment variable {@value
 *       RuntimeChoice#VARIABLE}, else {@code auto};
 *   <li><b>runtime facts</b> ({@link #facts}): root when the effective uid is 0; fakeroot allowed
 *       when the user has a subordinate uid mapping ({@value RuntimeFacts#SUBUID_FILE}) and the
 *       dialect supports {@code --fakeroot} ({@link RuntimeFacts#detect}). The same facts on the
 *       fake runtime as on a real one, so both plan the same network;
 *   <li><b>leases</b> ({@link #leases}): the per-user {@link LeaseStore} (bridge addresses and
 *       forwarded host ports), at the system property {@value #LEASE_FILE_PROPERTY} when set, else
 *       {@link LeaseStore#defaultFile} ({@code $XDG_STATE_HOME/scompose/leases.json}, else {@code
 *       ~/.local/state/scompose/leases.json}), so two projects of one user never get the same
 *       address, across processes; {@link Compose#down} releases them;
 *   <li><b>parallelism</b> ({@link #parallelLimit}): an explicit limit ({@link
 *       Builder#parallelLimit}, the CLI's {@code --parallel}) wins, then the environment variable
 *       {@value #PARALLEL_LIMIT_VARIABLE} (docker compose's name), else {@link
 *       Compose#DEFAULT_PARALLELISM};
 *   <li><b>profiles</b> ({@link #profiles}): the variable {@value #PROFILES_VARIABLE}, unless the
 *       plan or the CLI's {@code --profile} names some;
 *   <li><b>host ports</b>: on a real runtime this host's sockets ({@link HostPorts#system()}); on
 *       the fake, the fake's own view, given to {@link #engine(SingularityClient, HostPorts)}.
 * </ul>
 *
 * <p>{@link #system()} reads this process (effective and real uid through {@link
 * io.github.scompose.core.posix.Posix#system()}, {@code user.name}, {@code user.home}, {@value
 * RuntimeFacts#SUBUID_FILE}, system properties, environment); {@link #builder()} lets every input
 * be given (tests). Immutable and thread-safe; system properties and the subuid file are read on
 * each call, not when built.
 */
public final class ComposeWiring {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Compose.class);

  /**
   * System property naming the lease file (wins over {@link LeaseStore#defaultFile}): {@value}. The
   * project's own build points tests at a file under the build folder through {@code
   * XDG_STATE_HOME} instead, which child processes inherit.
   */
  public static final String LEASE_FILE_PROPERTY = "scompose.lease.file";

  /**
   * Environment variable limiting how many instances start or stop at once: {@value} (docker
   * compose's name); a whole number of at least 1.
   */
  public static final String PARALLEL_LIMIT_VARIABLE = "COMPOSE_PARALLEL_LIMIT";

  /**
   * Environment variable naming the active Compose profiles, comma-separated: {@value} (docker
   * compose's name; {@code *} activates all).
   */
  public static final String PROFILES_VARIABLE =
      io.github.scompose.spec.ComposeProject.PROFILES_VARIABLE;

  private final Optional<Integer> parallelLimit;
  private final Optional<Long> euid;
  private final Optional<Long> uid;
  private final Optional<String> userName;
  private final Path subuidFile;
  private final Function<String, String> properties;
  private final Map<String, String> environment;
  private final boolean leasesOn;
  private final Optional<LeaseStore> leases;
  private final Optional<EmbeddedRuntimeProvider> embedded;

  private ComposeWiring(Builder b) {
    this.parallelLimit = Optional.ofNullable(b.parallelLimit);
    this.euid = Optional.ofNullable(b.euid);
    this.uid = Optional.ofNullable(b.uid);
    this.userName = Optional.ofNullable(b.userName);
    this.subuidFile = b.subuidFile;
    this.properties = b.properties;
    this.environment = Map.copyOf(b.environment);
    this.leasesOn = b.leasesOn;
    this.leases = Optional.ofNullable(b.leases);
    this.embedded = Optional.ofNullable(b.embedded);
  }

  /** The wiring of this process (see the class comment). */
  public static ComposeWiring system() {
    return builder().build();
  }

  /** A builder whose every input defaults to this process's. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The runtime chosen (see {@link RuntimeChoice#select(String, String, Function, Map)}), with this
   * wiring's system properties and environment.
   *
   * @param explicit the explicit choice ({@code --runtime}, the extension's attribute), {@code
   *     null} or blank when none was given
   * @param explicitSource how the explicit choice is named in errors
   * @throws IllegalArgumentException when the deciding value is not {@code auto}, {@code real} or
   *     {@code fake}, naming where it came from
   */
  public RuntimeSelection selectRuntime(String explicit, String explicitSource) {
    return RuntimeChoice.select(explicit, explicitSource, properties, environment);
  }

  /**
   * How many instances an engine starts or stops at once (see the class comment): the explicit
   * limit, else {@value #PARALLEL_LIMIT_VARIABLE}, else {@link Compose#DEFAULT_PARALLELISM}.
   *
   * @throws IllegalArgumentException when {@value #PARALLEL_LIMIT_VARIABLE} decides and is not a
   *     whole number of at least 1 (the message names the variable and its value)
   */
  public int parallelLimit() {
    if (parallelLimit.isPresent()) {
      return parallelLimit.get();
    }
    String v = environment.get(PARALLEL_LIMIT_VARIABLE);
    if (v == null || v.isBlank()) {
      return Compose.DEFAULT_PARALLELISM;
    }
    int n;
    try {
      n = Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException(
          PARALLEL_LIMIT_VARIABLE
              + "=\""
              + v
              + "\" is not a whole number of at least 1 (how many instances start or stop at"
              + " once)");
    }
    return n;
  }

  /**
   * The Compose profiles engines activate when a plan names none ({@link
   * Compose.Builder#profiles}): the comma-separated names of {@value #PROFILES_VARIABLE}, blanks
   * dropped; empty when it is unset. An explicit choice (the CLI's {@code --profile}, {@link
   * PlanOptions#profiles()}) wins.
   */
  public java.util.Set<String> profiles() {
    return io.github.scompose.spec.ComposeProject.profilesOf(environment.get(PROFILES_VARIABLE));
  }

  /**
   * The facts of this process for a binary of {@code dialect} (see {@link RuntimeFacts#detect}).
   */
  public RuntimeFacts facts(Dialect dialect) {
    long e = euid.orElseGet(() -> io.github.scompose.core.posix.Posix.system().geteuid());
    long u = uid.orElseGet(() -> io.github.scompose.core.posix.Posix.system().getuid());
    String name = userName.orElseGet(() -> Objects.toString(properties.apply("user.name"), ""));
    return RuntimeFacts.detect(dialect, e, u, name, subuidFile);
  }

  /**
   * The lease store engines share (see the class comment); empty when turned off with {@link
   * Builder#noLeases()}. Opening a store reads nothing: the file is created on first write.
   */
  public Optional<LeaseStore> leases() {
    if (!leasesOn) {
      return Optional.empty();
    }
    if (leases.isPresent()) {
      return leases;
    }
    String file = properties.apply(LEASE_FILE_PROPERTY);
    if (file != null && !file.isBlank()) {
      return Optional.of(LeaseStore.open(Path.of(file)));
    }
    String home = Objects.toString(properties.apply("user.home"), "");
    return Optional.of(LeaseStore.open(LeaseStore.defaultFile(environment, home)));
  }

  /**
   * An engine builder on a real runtime: {@link #facts} of the client's dialect, {@link #leases},
   * published ports checked against this host's sockets.
   */
  public Compose.Builder engine(SingularityClient client) {
    return engine(client, facts(client.dialect()), HostPorts.system());
  }

  /**
   * An engine builder whose published ports are planned against {@code hostPorts} (on the fake
   * runtime: {@code FakeRuntime.hostPorts()}), with {@link #facts} of the client's dialect and
   * {@link #leases}.
   */
  public Compose.Builder engine(SingularityClient client, HostPorts hostPorts) {
    return engine(client, facts(client.dialect()), hostPorts);
  }

  /**
   * An engine builder with {@code facts} and {@code hostPorts} as given, {@link #leases} and {@link
   * #parallelLimit}.
   *
   * @throws IllegalArgumentException when {@value #PARALLEL_LIMIT_VARIABLE} is invalid ({@link
   *     #parallelLimit})
   */
  public Compose.Builder engine(SingularityClient client, RuntimeFacts facts, HostPorts hostPorts) {
    Compose.Builder b =
        Compose.builder()
            .parallelism(parallelLimit())
            .client(client)
            .facts(facts)
            .networkPlanner(NetworkPlanner.create().withHostPorts(hostPorts))
            .profiles(profiles());
    leases().ifPresent(b::leases);
    return b;
  }

  /** {@link #local(String, String)} without an explicit choice. */
  public Compose local() {
    return local(null, "Compose.local()");
  }

  /**
   * An engine on the runtime {@link #selectRuntime chosen}: {@code real}, the binary found by
   * {@link BinaryLocator} ({@code APPTAINER_BINARY}, {@code SINGULARITY_BINARY}, then {@code PATH};
   * its version cached per user, {@link BinaryLocator.Builder#userVersionCache}) over a {@link
   * LocalProcessTransport}; {@code fake}, the {@link EmbeddedRuntimeProvider} of {@code
   * scompose-testkit} (one embedded runtime per JVM); {@code auto}, real when a binary is found,
   * else the embedded runtime (said at WARN). Facts, leases and host ports as in the class comment.
   *
   * @throws IllegalArgumentException for a runtime choice other than auto, real, fake
   * @throws BinaryNotFoundException when {@code real} finds no binary, or {@code auto} finds none
   *     and {@code scompose-testkit} is not on the class path (the places tried name both)
   * @throws IllegalStateException when {@code fake} is chosen and {@code scompose-testkit} is not
   *     on the class path
   */
  public Compose local(String explicit, String explicitSource) {
    RuntimeSelection selection = selectRuntime(explicit, explicitSource);
    if (selection.choice() == RuntimeChoice.FAKE) {
      EmbeddedRuntimeProvider p =
          embedded()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "runtime "
                              + selection.describe()
                              + " needs the embedded fake runtime of scompose-testkit, which is"
                              + " not on the class path: add the dependency"
                              + " io.github.scompose:scompose-testkit, or choose the runtime real"
                              + " with apptainer or singularity installed"));
      return onEmbedded(p).build();
    }
    LocalProcessTransport transport = LocalProcessTransport.create();
    try {
      SingularityClient client =
          SingularityClient.builder()
              .transport(transport)
              .binary(
                  BinaryLocator.builder()
                      .environment(environment)
                      .userVersionCache()
                      .build()
                      .locate(transport))
              .build();
      return engine(client).build();
    } catch (BinaryNotFoundException e) {
      transport.close();
      if (selection.choice() == RuntimeChoice.REAL) {
        throw e;
      }
      Optional<EmbeddedRuntimeProvider> p = embedded();
      if (p.isEmpty()) {
        List<String> tried = new ArrayList<>(e.triedPlaces());
        tried.add(
            "the embedded fake runtime: scompose-testkit is not on the class path (add"
                + " io.github.scompose:scompose-testkit, or install apptainer or singularity)");
        throw new BinaryNotFoundException("local", tried);
      }
      LOG.warn(
          "no apptainer or singularity binary found: the engine runs on the embedded fake runtime"
              + " ({}); nothing runs in a container. Choose with -D{}=real|fake or {}",
          p.get().describe(),
          RuntimeChoice.PROPERTY,
          RuntimeChoice.VARIABLE);
      return onEmbedded(p.get()).build();
    }
  }

  private Compose.Builder onEmbedded(EmbeddedRuntimeProvider p) {
    return engine(p.client(), p.hostPorts());
  }

  private Optional<EmbeddedRuntimeProvider> embedded() {
    if (embedded.isPresent()) {
      return embedded;
    }
    return ServiceLoader.load(EmbeddedRuntimeProvider.class, ComposeWiring.class.getClassLoader())
        .findFirst()
        .or(() -> ServiceLoader.load(EmbeddedRuntimeProvider.class).findFirst());
  }

  /** Inputs of a {@link ComposeWiring}; each defaults to this process's. Not thread-safe. */
  public static final class Builder {
    private Integer parallelLimit;
    private Long euid;
    private Long uid;
    private String userName;
    private Path subuidFile = Path.of(RuntimeFacts.SUBUID_FILE);
    private Function<String, String> properties = System::getProperty;
    private Map<String, String> environment = System.getenv();
    private boolean leasesOn = true;
    private LeaseStore leases;
    private EmbeddedRuntimeProvider embedded;

    private Builder() {}

    /**
     * How many instances start or stop at once, winning over {@value
     * ComposeWiring#PARALLEL_LIMIT_VARIABLE}; default: none (the variable, else {@link
     * Compose#DEFAULT_PARALLELISM}).
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder parallelLimit(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("parallel limit " + limit + " is below 1");
      }
      this.parallelLimit = limit;
      return this;
    }

    /** The effective uid; default this process's (geteuid(2)); 0 means root. */
    public Builder euid(long euid) {
      this.euid = euid;
      return this;
    }

    /** The real uid, matched against numeric subuid lines; default this process's (getuid(2)). */
    public Builder uid(long uid) {
      this.uid = uid;
      return this;
    }

    /** The user's login name for subuid lines; default the system property {@code user.name}. */
    public Builder userName(String userName) {
      this.userName = Objects.requireNonNull(userName);
      return this;
    }

    /** The subordinate uid file; default {@value RuntimeFacts#SUBUID_FILE}. */
    public Builder subuidFile(Path file) {
      this.subuidFile = Objects.requireNonNull(file);
      return this;
    }

    /**
     * System property lookup ({@code null} when unset): runtime choice, lease file, {@code
     * user.name}, {@code user.home}; default {@link System#getProperty(String)}.
     */
    public Builder properties(Function<String, String> properties) {
      this.properties = Objects.requireNonNull(properties);
      return this;
    }

    /**
     * The environment: runtime choice, {@code XDG_STATE_HOME}, binary variables, {@value
     * ComposeWiring#PARALLEL_LIMIT_VARIABLE}; default {@link System#getenv()}.
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment);
      return this;
    }

    /** Use {@code store} for leases instead of the per-user default. */
    public Builder leases(LeaseStore store) {
      this.leases = Objects.requireNonNull(store);
      this.leasesOn = true;
      return this;
    }

    /** No lease store: addresses are allocated in memory, per plan (not shared). */
    public Builder noLeases() {
      this.leases = null;
      this.leasesOn = false;
      return this;
    }

    /** The embedded runtime for {@code fake}; default the one {@link ServiceLoader} finds. */
    public Builder embeddedRuntime(EmbeddedRuntimeProvider provider) {
      this.embedded = Objects.requireNonNull(provider);
      return this;
    }

    /** The wiring. */
    public ComposeWiring build() {
      return new ComposeWiring(this);
    }
  }
}
