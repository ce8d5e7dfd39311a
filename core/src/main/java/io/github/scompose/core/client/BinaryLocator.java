package io.github.scompose.core.client;

import io.github.scompose.core.errors.BinaryNotFoundException;
import io.github.scompose.core.internal.client.VersionCache;
import io.github.scompose.core.internal.transport.LocalProcess;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.core.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@code apptainer}/{@code singularity} binary on a transport's host, in this order:
 *
 * <ol>
 *   <li>the {@linkplain Builder#explicitPath explicit path}, when given (then nothing else is
 *       tried);
 *   <li>the configuration variables {@value #APPTAINER_BINARY} then {@value #SINGULARITY_BINARY} of
 *       the {@linkplain Builder#environment supplied environment} (e.g. {@code System.getenv()});
 *   <li>{@code apptainer}, then {@code singularity}, on the transport host's PATH.
 * </ol>
 *
 * Each candidate is tried by running {@code CANDIDATE --version} as an argv through the transport
 * (timeout {@linkplain Builder#probeTimeout 30 s}): one call proves the program exists on that
 * host's PATH, runs, and tells its version. {@code command -v} is a shell builtin (it would need a
 * shell where an argv serves) and {@code which} is missing from minimal systems and would still
 * leave the version to ask. A candidate counts as absent when the transport cannot start it, or it
 * exits 126/127 (a remote shell's "cannot execute"/"not found"), or exits non-zero, or prints no
 * version. On a {@link LocalProcessTransport} a bare name that no entry of this JVM's PATH holds is
 * absent without starting a process (the same failure, found by looking at PATH).
 *
 * <p>With a {@linkplain Builder#versionCache version cache} (off by default; the CLI and {@code
 * ComposeWiring.local()} use {@linkplain Builder#userVersionCache the per-user one}) and a {@link
 * LocalProcessTransport}, a candidate found on this machine whose size and modification time are
 * those cached is not run at all: its cached version is taken (issue 11: a second CLI run makes no
 * probe). A candidate probed is cached. Other transports always probe.
 *
 * <p>Immutable and thread-safe.
 */
public final class BinaryLocator {

  /** Configuration variable naming the binary, tried first: {@code APPTAINER_BINARY}. */
  public static final String APPTAINER_BINARY = "APPTAINER_BINARY";

  /** Configuration variable naming the binary, tried second: {@code SINGULARITY_BINARY}. */
  public static final String SINGULARITY_BINARY = "SINGULARITY_BINARY";

  /** Names tried on PATH, in order. */
  public static final List<String> DEFAULT_NAMES = List.of("apptainer", "singularity");

  private static final Logger LOG = LoggerFactory.getLogger(BinaryLocator.class);

  private final Optional<String> explicitPath;
  private final Map<String, String> environment;
  private final Duration probeTimeout;
  private final Optional<Path> versionCache;

  private BinaryLocator(Builder b) {
    this.explicitPath = b.explicitPath;
    this.environment = Map.copyOf(b.environment);
    this.probeTimeout = b.probeTimeout;
    this.versionCache = b.userVersionCache ? Optional.of(userCacheFile()) : b.versionCache;
  }

  private Path userCacheFile() {
    return VersionCache.userFile(environment, System.getProperty("user.home", "/"));
  }

  /** A locator that tries PATH only. */
  public static BinaryLocator onPath() {
    return builder().build();
  }

  /** A builder with no explicit path and an empty environment. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The binary.
   *
   * @throws BinaryNotFoundException listing every place tried and why each failed
   */
  public SingularityBinary locate(Transport transport) {
    Objects.requireNonNull(transport, "transport");
    List<String> tried = new ArrayList<>();
    Map<String, String> candidates = new LinkedHashMap<>();
    if (explicitPath.isPresent()) {
      candidates.put(explicitPath.get(), "explicit path " + explicitPath.get());
    } else {
      for (String variable : List.of(APPTAINER_BINARY, SINGULARITY_BINARY)) {
        String value = environment.get(variable);
        if (value != null && !value.isBlank()) {
          candidates.putIfAbsent(value, variable + "=" + value);
        } else {
          tried.add(variable + ": not set");
        }
      }
      for (String name : DEFAULT_NAMES) {
        candidates.putIfAbsent(name, name + " on PATH");
      }
    }
    Optional<VersionCache> cache =
        transport instanceof LocalProcessTransport
            ? versionCache.map(f -> new VersionCache(f, System.getenv("PATH")))
            : Optional.empty();
    for (Map.Entry<String, String> c : candidates.entrySet()) {
      Optional<SingularityBinary> cached = cache.flatMap(v -> cached(v, c.getKey()));
      if (cached.isPresent()) {
        LOG.debug(
            "{} ({}): {} from {}",
            c.getKey(),
            c.getValue(),
            cached.get().version(),
            cache.get().file());
        return cached.get();
      }
      Optional<SingularityBinary> found = probe(transport, c.getKey(), c.getValue(), tried, cache);
      if (found.isPresent()) {
        LOG.debug("found {} ({}) on {}", found.get().version(), c.getValue(), transport.describe());
        return found.get();
      }
    }
    throw new BinaryNotFoundException(transport.describe(), tried);
  }

  private static Optional<SingularityBinary> cached(VersionCache cache, String program) {
    Optional<String> line = cache.lookup(program);
    if (line.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(SingularityBinary.of(program, BinaryVersion.parse(line.get(), program)));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a malformed entry: probed again, and rewritten
    }
  }

  private Optional<SingularityBinary> probe(
      Transport transport,
      String program,
      String label,
      List<String> tried,
      Optional<VersionCache> cache) {
    CommandRequest request =
        CommandRequest.builder().addArgv(program, "--version").timeout(probeTimeout).build();
    CommandResult result;
    try {
      if (transport instanceof LocalProcessTransport) {
        // a name on no PATH entry fails to start anyway: no process for that (apptainer, where
        // only singularity is installed, was tried on every run)
        Optional<TransportException> absent = LocalProcess.absentFromPath(program);
        if (absent.isPresent()) {
          throw absent.get();
        }
      }
      result = transport.run(request);
    } catch (TransportException e) {
      tried.add(label + ": cannot run (" + e.getMessage() + ")");
      return Optional.empty();
    }
    if (result.exitCode() != 0) {
      String why =
          result.exitCode() == 127
              ? "not found"
              : result.exitCode() == 126 ? "not executable" : "exit code " + result.exitCode();
      tried.add(label + ": " + why);
      return Optional.empty();
    }
    try {
      SingularityBinary found =
          SingularityBinary.of(program, BinaryVersion.parse(result.stdout(), program));
      cache.ifPresent(v -> v.store(program, firstLine(result.stdout())));
      return Optional.of(found);
    } catch (IllegalArgumentException e) {
      tried.add(label + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static String firstLine(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
  }

  /** Settings of a {@link BinaryLocator}. Not thread-safe. */
  public static final class Builder {
    private Optional<String> explicitPath = Optional.empty();
    private Map<String, String> environment = Map.of();
    private Duration probeTimeout = Duration.ofSeconds(30);
    private Optional<Path> versionCache = Optional.empty();
    private boolean userVersionCache;

    private Builder() {}

    /**
     * Cache what {@code --version} printed in {@code file}, per binary (its real path, size and
     * modification time), for {@link LocalProcessTransport}s; default: no cache. A file that cannot
     * be read or parsed counts as empty and is rewritten; one that cannot be written is left alone.
     */
    public Builder versionCache(Path file) {
      this.versionCache = Optional.of(file);
      this.userVersionCache = false;
      return this;
    }

    /**
     * {@link #versionCache} in the per-user file {@code $XDG_CACHE_HOME/scompose/}{@code
     * binary-versions.properties} ({@code XDG_CACHE_HOME} read from the {@linkplain #environment
     * supplied environment}; when unset or relative, {@code ~/.cache}).
     */
    public Builder userVersionCache() {
      this.userVersionCache = true;
      return this;
    }

    /** Use this program (path or name) and nothing else. */
    public Builder explicitPath(String path) {
      if (path.isBlank()) {
        throw new IllegalArgumentException("explicit path is blank");
      }
      this.explicitPath = Optional.of(path);
      return this;
    }

    /** Where to read {@value #APPTAINER_BINARY}/{@value #SINGULARITY_BINARY}; default: empty. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** Timeout of each {@code --version} probe; default 30 s. */
    public Builder probeTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("probe timeout " + timeout + " is not positive");
      }
      this.probeTimeout = timeout;
      return this;
    }

    /** The locator. */
    public BinaryLocator build() {
      return new BinaryLocator(this);
    }
  }
}
