package io.github.scompose.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server on 127.0.0.1 for tests, started with a throwaway host key and user key on a
 * free port, logging in as the current user; {@link #close()} stops it and deletes its folder. The
 * tests that use it are skipped (JUnit assumption, with the reason) when {@code /usr/sbin/sshd},
 * {@code ssh} or {@code ssh-keygen} is missing (Debian: {@code apt-get install openssh-server
 * openssh-client}).
 */
final class ThrowawaySshd implements AutoCloseable {

  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Path dir;
  private final Path log;
  private final Process sshd;
  private final int port;
  private final String user;

  private ThrowawaySshd(Path dir, Path log, Process sshd, int port, String user) {
    this.dir = dir;
    this.log = log;
    this.sshd = sshd;
    this.port = port;
    this.user = user;
  }

  /** Starts a server, or skips the calling test class with a notice when it cannot. */
  static ThrowawaySshd startOrSkip() throws Exception {
    assumeTrue(
        Files.isExecutable(SSHD),
        "SKIPPED: " + SSHD + " not found; install openssh-server to run the SSH transport tests");
    assumeTrue(onPath("ssh") && onPath("ssh-keygen"), "SKIPPED: no ssh / ssh-keygen on PATH");
    Path privsep = Path.of("/run/sshd");
    if (!Files.isDirectory(privsep)) {
      try {
        Files.createDirectories(privsep);
      } catch (IOException e) {
        assumeTrue(false, "SKIPPED: sshd needs " + privsep + " and it cannot be created: " + e);
      }
    }
    Path dir = Files.createTempDirectory("scompose-sshd-");
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("user_key"));
    Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
    String user = System.getProperty("user.name");
    int port = freePort();
    Path config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + dir.resolve("host_key"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PidFile none",
            "LogLevel INFO",
            "MaxSessions 5",
            ""));
    Path log = dir.resolve("sshd.log");
    Process sshd =
        new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    ThrowawaySshd server = new ThrowawaySshd(dir, log, sshd, port, user);
    boolean listening = ProcessWatch.waitUntil(() -> !sshd.isAlive() || accepts(port), WAIT);
    if (!listening || !sshd.isAlive()) {
      String why = Files.readString(log);
      server.close();
      assumeTrue(false, "SKIPPED: sshd did not start: " + why);
    }
    return server;
  }

  /** The server's folder (keys, config, log); tests may put their files here. */
  Path directory() {
    return dir;
  }

  int port() {
    return port;
  }

  String user() {
    return user;
  }

  /** A configuration that logs in to this server with the throwaway key, checking no host key. */
  SshConfig.Builder config() {
    return SshConfig.builder()
        .host("127.0.0.1")
        .port(port)
        .user(user)
        .identityFile(dir.resolve("user_key").toString())
        .configFile("/dev/null")
        .putOption("StrictHostKeyChecking", "no")
        .putOption("UserKnownHostsFile", "/dev/null")
        .putOption("LogLevel", "ERROR");
  }

  /** How many logins the server has accepted so far (its log's {@code Accepted publickey}). */
  long acceptedLogins() {
    try {
      return Files.readAllLines(log).stream()
          .filter(line -> line.contains("Accepted publickey"))
          .count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() throws Exception {
    sshd.destroy();
    if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
      sshd.destroyForcibly().waitFor();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** A TCP port on 127.0.0.1 that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void keygen(Path key) throws Exception {
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }

  private static boolean onPath(String program) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
