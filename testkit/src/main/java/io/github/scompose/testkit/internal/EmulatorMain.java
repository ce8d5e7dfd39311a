package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeTimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The out-of-process emulator: {@code EmulatorMain --state DIR --program NAME ARGS...}, run by the
 * launcher script that {@code FakeRuntime.installExecutable} writes. Reads the programme from
 * {@code DIR/config.ser}, keeps instances in {@code DIR} (locked, atomic), prints what the real
 * binary would and exits with its exit code. A scripted hang sleeps until killed.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Path state = null;
    String program = "singularity";
    int i = 0;
    while (i + 1 < args.length && args[i].startsWith("--")) {
      if (args[i].equals("--state")) {
        state = Path.of(args[i + 1]);
      } else if (args[i].equals("--program")) {
        program = args[i + 1];
      } else {
        break;
      }
      i += 2;
    }
    if (state == null) {
      System.err.println("usage: EmulatorMain --state DIR [--program NAME] ARGS...");
      System.exit(2);
    }
    RuntimeConfig config = readConfig(state);
    Emulator emulator = Emulator.inDirectory(config, state, FakeTimeSource.system());
    List<String> argv = new ArrayList<>();
    argv.add(program);
    for (int k = i; k < args.length; k++) {
      argv.add(args[k]);
    }
    Emulator.Outcome outcome =
        emulator.execute(
            new Emulator.Invocation(argv, System.getenv(), System.getProperty("user.dir")));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, false, StandardCharsets.UTF_8);
    out.print(outcome.stdout());
    out.flush();
    err.print(outcome.stderr());
    err.flush();
    if (outcome.hangs()) {
      new java.util.concurrent.CountDownLatch(1).await(); // until the caller kills this process
    }
    System.exit(outcome.exitCode());
  }

  /** Reads {@code config.ser} from a state directory. */
  static RuntimeConfig readConfig(Path state) throws IOException {
    try (InputStream in = Files.newInputStream(state.resolve("config.ser"));
        ObjectInputStream objects = new ObjectInputStream(in)) {
      return (RuntimeConfig) objects.readObject();
    } catch (ClassNotFoundException e) {
      throw new IOException("config.ser in " + state + " is not a fake runtime's programme", e);
    }
  }
}
