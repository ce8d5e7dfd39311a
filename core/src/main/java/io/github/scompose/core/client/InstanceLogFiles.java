package io.github.scompose.core.client;

import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log files of a {@link SingularityClient}'s instances: where they are (the listing's paths,
 * else the dialect's defaults for the client's {@link HostIdentity}) and how they are read, sized,
 * tailed and followed through the client's {@link Transport}. The client's log methods delegate
 * here; their Javadoc is the contract.
 */
final class InstanceLogFiles {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceLogFiles.class);

  private final SingularityClient client;
  private final Sleeper sleeper;
  private final Duration pollInterval;

  InstanceLogFiles(SingularityClient client, Sleeper sleeper, Duration pollInterval) {
    this.client = client;
    this.sleeper = sleeper;
    this.pollInterval = pollInterval;
  }

  private Transport transport() {
    return client.transport();
  }

  InstanceLogs logs(String instanceName) {
    String[] paths = paths(instanceName);
    return InstanceLogs.builder()
        .instanceName(instanceName)
        .outPath(paths[0])
        .errPath(paths[1])
        .out(readText(paths[0]))
        .err(readText(paths[1]))
        .build();
  }

  InstanceLogs logs(String instanceName, LogOffsets from) {
    String[] paths = paths(instanceName);
    return InstanceLogs.builder()
        .instanceName(instanceName)
        .outPath(paths[0])
        .errPath(paths[1])
        .out(readText(paths[0], from.out()))
        .err(readText(paths[1], from.err()))
        .build();
  }

  LogOffsets sizes(String instanceName) {
    HostIdentity id = client.hostIdentity();
    Dialect d = client.dialect();
    return LogOffsets.of(
        size(d.defaultLogPath(id.home(), id.hostname(), id.user(), instanceName, LogStream.OUT)),
        size(d.defaultLogPath(id.home(), id.hostname(), id.user(), instanceName, LogStream.ERR)));
  }

  LogFollower follow(String instanceName, LogOffsets from, LogListener listener) {
    String[] paths = paths(instanceName);
    return new LogFollower(
        transport(),
        paths[0],
        paths[1],
        within(paths[0], from.out()),
        within(paths[1], from.err()),
        listener,
        sleeper,
        pollInterval);
  }

  LogFollower follow(String instanceName, boolean fromEnd, LogListener listener) {
    return new LogFollower(
        transport(), logs(instanceName), fromEnd, listener, sleeper, pollInterval);
  }

  /**
   * @throws IllegalArgumentException when {@code lines} is negative
   */
  InstanceLogs tail(String instanceName, int lines) {
    if (lines < 0) {
      throw new IllegalArgumentException("lines " + lines + " is negative");
    }
    InstanceLogs all = logs(instanceName);
    return all.withOut(lastLines(all.out(), lines)).withErr(lastLines(all.err(), lines));
  }

  /** The last {@code n} lines of {@code text} (all of it when shorter). */
  static String lastLines(String text, int n) {
    if (n == 0 || text.isEmpty()) {
      return "";
    }
    int end = text.endsWith("\n") ? text.length() - 1 : text.length();
    int pos = end;
    for (int i = 0; i < n; i++) {
      int nl = text.lastIndexOf('\n', pos - 1);
      if (nl < 0) {
        return text;
      }
      pos = nl;
    }
    return text.substring(pos + 1);
  }

  private long size(String path) {
    return transport()
        .stat(path)
        .map(FileStamp::size)
        .orElseGet(() -> transport().readFile(path, 0).map(b -> (long) b.length).orElse(0L));
  }

  /** {@code offset}, or 0 when the file is now shorter (a new file under the same name). */
  private long within(String path, long offset) {
    return offset > 0 && size(path) < offset ? 0 : offset;
  }

  private String[] paths(String name) {
    Optional<InstanceInfo> info = Optional.empty();
    try {
      info = client.find(name);
    } catch (SingularityException e) {
      LOG.debug("cannot list instances for log paths of {}: {}", name, e.getMessage());
    }
    String out = info.flatMap(InstanceInfo::logOutPath).orElse(null);
    String err = info.flatMap(InstanceInfo::logErrPath).orElse(null);
    if (out == null || err == null) {
      HostIdentity id = client.hostIdentity();
      Dialect d = client.dialect();
      if (out == null) {
        out = d.defaultLogPath(id.home(), id.hostname(), id.user(), name, LogStream.OUT);
      }
      if (err == null) {
        err = d.defaultLogPath(id.home(), id.hostname(), id.user(), name, LogStream.ERR);
      }
    }
    return new String[] {out, err};
  }

  private String readText(String path) {
    return transport().readFile(path, 0).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
  }

  private String readText(String path, long offset) {
    if (offset == 0 || within(path, offset) == 0) {
      return readText(path);
    }
    return transport()
        .readFile(path, offset)
        .map(b -> new String(b, StandardCharsets.UTF_8))
        .orElse("");
  }
}
