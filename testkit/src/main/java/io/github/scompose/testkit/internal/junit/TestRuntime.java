package io.github.scompose.testkit.internal.junit;

import io.github.scompose.core.client.BinaryLocator;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.RuntimeChoice;
import io.github.scompose.core.compose.RuntimeSelection;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.EmbeddedFakeRuntime;
import java.io.File;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The runtime a test class runs on, real binary or {@link FakeRuntime}, and the choice of it: what
 * the JUnit extension's fields, handles and parameters use. Closed with the class's store (JUnit
 * 5.10 to 5.12 close a {@code CloseableResource}, 5.13 and later an {@code AutoCloseable} and warn
 * about the other: closed once either way): the fake ends every instance it runs, then the
 * transport closes.
 *
 * @param transport the transport every command of the class runs through
 * @param program the binary's program name or path, {@code argv[0]} of raw commands
 * @param fake the fake runtime, or {@code null} on the real binary
 * @param logDirectory the folder of the instances' {@code .out}/{@code .err} logs
 * @param identity the runtime as session files name it: {@code real:<path>}, {@code fake-dir:<state
 *     directory>} or {@code memory:<id>} (dies with the JVM)
 * @param fakeClosed set once the fake runtime was closed (which ended its instances)
 */
public record TestRuntime(
    Transport transport,
    String program,
    FakeRuntime fake,
    String logDirectory,
    SingularityClient client,
    Compose compose,
    Clock clock,
    Sleeper sleeper,
    String identity,
    AtomicBoolean fakeClosed)
    implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  /** How the annotation's choice is named in errors. */
  private static final String ANNOTATION_SOURCE = "@SingularityTest(runtime)";

  @Override
  public void close() {
    if (fake != null) {
      fake.close();
      fakeClosed.set(true); // every instance of the fake ended with it
    }
    transport.close();
  }

  /** Whether this runtime's instances outlive the JVM (real binary, directory-backed fake). */
  public boolean outlivesTheJvm() {
    return !identity.startsWith(SessionRegistry.MEMORY_RUNTIME_PREFIX);
  }

  /**
   * The binary the real runtime would use, looked for where {@link BinaryLocator} looks (without
   * running it): the variables {@code APPTAINER_BINARY}, {@code SINGULARITY_BINARY}, then the first
   * of {@code apptainer}, {@code singularity} found executable on {@code PATH}.
   */
  public static Optional<Path> realProgram() {
    for (String variable :
        List.of(BinaryLocator.APPTAINER_BINARY, BinaryLocator.SINGULARITY_BINARY)) {
      String value = System.getenv(variable);
      if (value != null && !value.isBlank()) {
        Path candidate = Path.of(value);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : List.of("apptainer", "singularity")) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The runtime chosen for {@code testClass}: the annotation's {@code runtime} ({@code ""}: none)
   * winning over the property and the variable ({@link RuntimeChoice}).
   *
   * @throws ExtensionConfigurationException when a choice names no runtime
   */
  public static RuntimeSelection selection(Class<?> testClass, String fromAnnotation) {
    try {
      return wiring(testClass).selectRuntime(fromAnnotation, ANNOTATION_SOURCE);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage(), e);
    }
  }

  /**
   * The wiring of the test class: its {@code static ComposeWiring composeWiring()} method when it
   * has one, else {@link ComposeWiring#system()}.
   */
  static ComposeWiring wiring(Class<?> type) {
    try {
      var method = type.getDeclaredMethod("composeWiring");
      if (Modifier.isStatic(method.getModifiers())
          && ComposeWiring.class.isAssignableFrom(method.getReturnType())) {
        method.setAccessible(true);
        return (ComposeWiring) method.invoke(null);
      }
    } catch (NoSuchMethodException e) {
      // none: this process's wiring
    } catch (ReflectiveOperationException e) {
      throw new ExtensionConfigurationException("composeWiring() of " + type + " failed", e);
    }
    return ComposeWiring.system();
  }

  /**
   * Creates the runtime of {@code testClass} and reaps what dead sessions left on it ({@link
   * SessionReaper}); a runtime whose instances outlive the JVM also gets the session's watchdog
   * ({@link Watchdog}).
   *
   * @param fromAnnotation the annotation's {@code runtime}, {@code ""} for none
   * @param composeFields whether the class declares compose stacks (their images all exist on the
   *     fake)
   * @throws ExtensionConfigurationException when the real runtime was chosen and none is on {@code
   *     PATH}, or the class's {@code fakeRuntime()}/{@code composeWiring()} fails
   */
  public static TestRuntime create(
      Class<?> testClass, String fromAnnotation, boolean composeFields) {
    ComposeWiring wiring = wiring(testClass);
    RuntimeSelection selection = selection(testClass, fromAnnotation);
    RuntimeChoice choice = selection.choice();
    Optional<Path> real = realProgram();
    TestRuntime runtime;
    if (choice == RuntimeChoice.REAL || choice == RuntimeChoice.AUTO && real.isPresent()) {
      Path program =
          real.orElseThrow(
              () ->
                  new ExtensionConfigurationException(
                      "runtime "
                          + selection.describe()
                          + " was chosen, but no apptainer or singularity is on PATH"));
      runtime = real(program, wiring);
    } else {
      runtime = fake(testClass, wiring, composeFields);
    }
    SessionReaper.reapDeadSessions(runtime);
    if (runtime.outlivesTheJvm()) {
      Watchdog.watch(SessionRegistry.current());
    }
    return runtime;
  }

  private static TestRuntime real(Path program, ComposeWiring wiring) {
    Transport transport = LocalProcessTransport.create();
    SingularityClient client = SingularityClient.discover(transport);
    HostIdentity who = client.hostIdentity();
    String directory =
        program.getFileName().toString().equals("apptainer") ? ".apptainer" : ".singularity";
    String logs =
        Path.of(who.home(), directory, "instances", "logs", who.hostname(), who.user()).toString();
    return new TestRuntime(
        transport,
        program.toString(),
        null,
        logs,
        client,
        wiring.engine(client).build(),
        Clock.systemUTC(),
        Sleeper.system(),
        SessionRegistry.REAL_RUNTIME_PREFIX + program,
        new AtomicBoolean());
  }

  private static TestRuntime fake(Class<?> testClass, ComposeWiring wiring, boolean composeFields) {
    FakeRuntime.Builder builder = programmedFake(testClass);
    if (composeFields) {
      builder.anyImageExists();
    }
    FakeRuntime fake = builder.build();
    FakeTimeSource time = fake.timeSource();
    Clock clock = new TimeSourceClock(time);
    Sleeper sleeper = time::sleep;
    Path outLog = Path.of(fake.logOutPath("x"));
    Transport transport = fake.transport();
    SingularityClient client = EmbeddedFakeRuntime.clientOf(fake, transport, clock, sleeper);
    Compose.Builder compose = wiring.engine(client, fake.hostPorts()).clock(clock).sleeper(sleeper);
    if (time.isVirtual()) {
      compose.supervisionInterval(Duration.ZERO); // a virtual sleeper never blocks: no busy loop
    }
    String identity =
        fake.stateDirectory()
            .map(d -> SessionRegistry.FAKE_DIRECTORY_RUNTIME_PREFIX + d)
            .orElse(
                SessionRegistry.MEMORY_RUNTIME_PREFIX
                    + Integer.toHexString(System.identityHashCode(fake)));
    return new TestRuntime(
        transport,
        fake.dialect().program(),
        fake,
        outLog.getParent().toString(),
        client,
        compose.build(),
        clock,
        sleeper,
        identity,
        new AtomicBoolean());
  }

  private static FakeRuntime.Builder programmedFake(Class<?> type) {
    try {
      var method = type.getDeclaredMethod("fakeRuntime");
      if (Modifier.isStatic(method.getModifiers())
          && FakeRuntime.Builder.class.isAssignableFrom(method.getReturnType())) {
        method.setAccessible(true);
        return (FakeRuntime.Builder) method.invoke(null);
      }
    } catch (NoSuchMethodException e) {
      // no programme: the default below
    } catch (ReflectiveOperationException e) {
      throw new ExtensionConfigurationException("fakeRuntime() of " + type + " failed", e);
    }
    return FakeRuntime.builder().anyImageExists().timeSource(VirtualTimeSource.create());
  }
}
