package io.github.scompose.testkit.junit;

import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.Sleeper;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.RuntimeChoice;
import io.github.scompose.core.compose.RuntimeSelection;
import io.github.scompose.core.errors.InstanceNotFoundException;
import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.EmbeddedFakeRuntime;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.TimeSourceClock;
import io.github.scompose.testkit.wait.HttpWaitStrategy;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import io.github.scompose.testkit.wait.Wait;
import io.github.scompose.testkit.wait.WaitStrategy;
import io.github.scompose.testkit.wait.WaitTarget;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link SingularityTest}: picks the runtime (real binary or {@link
 * FakeRuntime}), starts {@link InstanceUnderTest} and {@link ComposeStackUnderTest} fields ({@code
 * static}: once per class; otherwise per test), runs their {@link WaitFor} strategies before the
 * test body, and stops them after — also after a failure; injects {@link FakeRuntime} (fake runtime
 * only), {@link Transport}, {@link SingularityClient} and {@link Compose} parameters, and {@link
 * TestComposeStack}, {@link ComposeStack} and {@link TestInstanceHandle} parameters from the
 * class's one annotated field of that type.
 *
 * <p><b>The fake runtime</b> is, by default, {@code FakeRuntime.builder().anyImageExists()} on a
 * {@link VirtualTimeSource}: waits, start latencies and stop timeouts pass without really waiting,
 * and the compose engine runs no background restart supervisor (call {@link
 * ComposeStack#superviseOnce()}). A test class programs its own fake with a {@code static
 * FakeRuntime.Builder fakeRuntime()} method; that builder keeps its time source (the system clock
 * unless it sets one), and gets {@code anyImageExists()} added when the class has a compose stack
 * field. On the fake, published host ports are never checked against this host ({@link
 * FakeRuntime#hostPorts()}); the env files the client writes for {@code environment:} go through
 * {@link Transport#writeFile}, i.e. onto this host, where the fake reads them.
 *
 * <p><b>Wiring.</b> Both runtimes get their engine from {@link ComposeWiring} (the one default
 * wiring the CLI and {@code Compose.local()} use too): the runtime choice ({@link
 * #RUNTIME_PROPERTY}, {@link #RUNTIME_VARIABLE}, the annotation's {@code runtime} winning), the
 * process's facts (root when the effective uid is 0, also on the fake, so both plan the same
 * network) and the per-user lease store. A test class gives its own with a {@code static
 * ComposeWiring composeWiring()} method (e.g. {@code
 * ComposeWiring.builder().euid(1000).noLeases().build()}).
 *
 * <p><b>Teardown when the JVM dies.</b> Everything started is recorded in this JVM's session file
 * ({@code <pid>-<start ms>.session} in the session directory: the system property {@value
 * #SESSION_DIRECTORY_PROPERTY}, else the environment variable {@value #SESSION_DIRECTORY_VARIABLE},
 * else {@code <java.io.tmpdir>/scompose-<user>/testkit-sessions/}) and forgotten once stopped — an
 * instance or stack whose stop failed stays recorded; a JVM shutdown hook stops what is still
 * running at exit (normal exit, {@code System.exit}, SIGINT, SIGTERM) and leaves what it could not
 * stop in the file. When a test class first uses a runtime, the sessions of dead JVMs of this host
 * are reaped: their instances and stacks on that runtime are stopped ({@code instance stop}; {@code
 * down} from the stack's state file). Singularity instances carry no labels, so the session file is
 * the only marker. Limits, honestly: SIGKILL, the out-of-memory killer or a power loss skip the
 * hook; their leftovers run until the next run by the same user, on the same host, with the same
 * session directory and runtime, reaps them; a run that never happens again reaps nothing; an
 * instance renamed or stopped by hand is reported and skipped.
 */
public final class SingularityExtension
    implements ExecutionCondition,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /**
   * System property choosing the runtime: {@code auto}, {@code real} or {@code fake} ({@link
   * RuntimeChoice#PROPERTY}).
   */
  public static final String RUNTIME_PROPERTY = RuntimeChoice.PROPERTY;

  /**
   * Environment variable choosing the runtime when the property is unset ({@link
   * RuntimeChoice#VARIABLE}).
   */
  public static final String RUNTIME_VARIABLE = RuntimeChoice.VARIABLE;

  /** How the annotation's choice is named in errors. */
  private static final String ANNOTATION_SOURCE = "@SingularityTest(runtime)";

  /**
   * System property naming the session directory (where each JVM records what it started, so that a
   * later run reaps what a killed JVM left running); created {@code rwx------} when missing.
   */
  public static final String SESSION_DIRECTORY_PROPERTY = SessionRegistry.DIRECTORY_PROPERTY;

  /** Environment variable naming the session directory when the property is unset. */
  public static final String SESSION_DIRECTORY_VARIABLE = SessionRegistry.DIRECTORY_VARIABLE;

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SingularityExtension.class);

  private static final Set<String> REAPED = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The chosen runtime of a test class, closed with the class's store (JUnit 5.10 to 5.12 close a
   * CloseableResource, 5.13 and later an AutoCloseable and warn about the other: closed once either
   * way).
   */
  private record Runtime(
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
    @Override
    public void close() {
      if (fake != null) {
        fake.close();
        fakeClosed.set(true); // every instance of the fake ended with it
      }
      transport.close();
    }
  }

  /**
   * What one scope started, stopped (newest first) when that scope's store closes (AutoCloseable
   * too: see {@link Runtime}).
   */
  private static final class Started
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final List<Runnable> stops = new ArrayList<>();

    @Override
    public void close() {
      RuntimeException first = null;
      for (int i = stops.size() - 1; i >= 0; i--) {
        try {
          stops.get(i).run();
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<SingularityTest> annotation = annotation(context);
    if (annotation.isPresent() && annotation.get().requireReal()) {
      if (realProgram().isEmpty()) {
        return ConditionEvaluationResult.disabled(
            "SKIPPED: this test requires a real apptainer or singularity binary, and none is on"
                + " PATH");
      }
      RuntimeSelection selection = choice(context, wiring(context));
      if (selection.choice() == RuntimeChoice.FAKE) {
        return ConditionEvaluationResult.disabled(
            "SKIPPED: this test requires the real runtime, but the runtime "
                + selection.describe()
                + " was chosen");
      }
    }
    return ConditionEvaluationResult.enabled("runtime available");
  }

  private static Optional<SingularityTest> annotation(ExtensionContext context) {
    return context
        .getTestClass()
        .flatMap(
            type -> {
              for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
                SingularityTest found = c.getAnnotation(SingularityTest.class);
                if (found != null) {
                  return Optional.of(found);
                }
              }
              return Optional.empty();
            });
  }

  /**
   * The binary the real runtime would use, looked for where {@link
   * io.github.scompose.core.client.BinaryLocator} looks (without running it): the variables {@code
   * APPTAINER_BINARY}, {@code SINGULARITY_BINARY}, then the first of {@code apptainer}, {@code
   * singularity} found executable on {@code PATH}.
   */
  static Optional<Path> realProgram() {
    for (String variable :
        List.of(
            io.github.scompose.core.client.BinaryLocator.APPTAINER_BINARY,
            io.github.scompose.core.client.BinaryLocator.SINGULARITY_BINARY)) {
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

  private static RuntimeSelection choice(ExtensionContext context, ComposeWiring wiring) {
    String fromAnnotation = annotation(context).map(SingularityTest::runtime).orElse("");
    try {
      return wiring.selectRuntime(fromAnnotation, ANNOTATION_SOURCE);
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException(e.getMessage(), e);
    }
  }

  /**
   * The wiring of the test class: its {@code static ComposeWiring composeWiring()} method when it
   * has one, else {@link ComposeWiring#system()}.
   */
  private static ComposeWiring wiring(ExtensionContext context) {
    Class<?> type = context.getRequiredTestClass();
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

  private Runtime runtime(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("runtime", k -> createRuntime(classContext), Runtime.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private Runtime createRuntime(ExtensionContext context) {
    ComposeWiring wiring = wiring(context);
    RuntimeSelection selection = choice(context, wiring);
    RuntimeChoice choice = selection.choice();
    Optional<Path> real = realProgram();
    Runtime runtime;
    if (choice == RuntimeChoice.REAL || choice == RuntimeChoice.AUTO && real.isPresent()) {
      Path program =
          real.orElseThrow(
              () ->
                  new ExtensionConfigurationException(
                      "runtime "
                          + selection.describe()
                          + " was chosen, but no apptainer or singularity is on PATH"));
      Transport transport = LocalProcessTransport.create();
      SingularityClient client = SingularityClient.discover(transport);
      HostIdentity who = client.hostIdentity();
      String directory =
          program.getFileName().toString().equals("apptainer") ? ".apptainer" : ".singularity";
      String logs =
          Path.of(who.home(), directory, "instances", "logs", who.hostname(), who.user())
              .toString();
      Compose compose = wiring.engine(client).build();
      runtime =
          new Runtime(
              transport,
              program.toString(),
              null,
              logs,
              client,
              compose,
              Clock.systemUTC(),
              Sleeper.system(),
              "real:" + program,
              new AtomicBoolean());
    } else {
      runtime = createFake(context, wiring);
    }
    reapDeadSessions(runtime);
    return runtime;
  }

  private static Runtime createFake(ExtensionContext context, ComposeWiring wiring) {
    FakeRuntime.Builder builder = programmedFake(context);
    if (hasComposeFields(context.getRequiredTestClass())) {
      builder.anyImageExists();
    }
    FakeRuntime fake = builder.build();
    FakeTimeSource time = fake.timeSource();
    Clock clock = new TimeSourceClock(time);
    Sleeper sleeper = time::sleep;
    String program = fake.dialect().program();
    Path outLog = Path.of(fake.logOutPath("x"));
    Transport transport = fake.transport();
    SingularityClient client = EmbeddedFakeRuntime.clientOf(fake, transport, clock, sleeper);
    Compose.Builder compose = wiring.engine(client, fake.hostPorts()).clock(clock).sleeper(sleeper);
    if (time.isVirtual()) {
      compose.supervisionInterval(Duration.ZERO); // a virtual sleeper never blocks: no busy loop
    }
    String identity =
        fake.stateDirectory()
            .map(d -> "fake-dir:" + d)
            .orElse("memory:" + Integer.toHexString(System.identityHashCode(fake)));
    return new Runtime(
        transport,
        program,
        fake,
        outLog.getParent().toString(),
        client,
        compose.build(),
        clock,
        sleeper,
        identity,
        new AtomicBoolean());
  }

  private static FakeRuntime.Builder programmedFake(ExtensionContext context) {
    Class<?> type = context.getRequiredTestClass();
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

  private static boolean hasComposeFields(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.isAnnotationPresent(ComposeStackUnderTest.class)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Stops what dead JVMs' sessions left on this runtime; once per runtime and directory. */
  private static void reapDeadSessions(Runtime runtime) {
    SessionRegistry registry = SessionRegistry.current();
    if (!REAPED.add(registry.directory() + "\n" + runtime.identity())) {
      return;
    }
    for (SessionRegistry.Reaped r :
        registry.reap(
            runtime.identity(),
            entry -> {
              if (entry.kind().equals("stack")) {
                runtime.compose().down(Path.of(entry.value()));
              } else {
                var listed = runtime.client().find(entry.value());
                if (listed.isPresent() && (entry.pid() == 0 || listed.get().pid() == entry.pid())) {
                  try {
                    runtime.client().stop(InstanceStop.of(entry.value()));
                  } catch (InstanceNotFoundException e) {
                    // ended meanwhile
                  }
                }
                // else: gone already, or the name now belongs to another run's instance
              }
            })) {
      if (!r.entries().isEmpty() || !r.failures().isEmpty()) {
        System.err.println(
            "scompose testkit: reaped "
                + r.entries().size()
                + " leftover(s) of dead test session "
                + r.session()
                + (r.failures().isEmpty() ? "" : "; could not stop: " + r.failures()));
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startFields(context, null, true);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startFields(context, context.getRequiredTestInstance(), false);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // the method-level store closes (stopping what was started) after this callback
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // the class-level store closes (stopping what was started, then the runtime) after this
  }

  private void startFields(ExtensionContext context, Object target, boolean statics) {
    Runtime runtime = runtime(context);
    Started started =
        context
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                "started:" + context.getUniqueId(), k -> new Started(), Started.class);
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) != statics) {
          continue;
        }
        InstanceUnderTest instance = field.getAnnotation(InstanceUnderTest.class);
        ComposeStackUnderTest stack = field.getAnnotation(ComposeStackUnderTest.class);
        if (instance != null && stack != null) {
          throw new ExtensionConfigurationException(
              field + " has both @InstanceUnderTest and @ComposeStackUnderTest");
        }
        if (instance != null) {
          startInstance(runtime, started, field, instance, target);
        } else if (stack != null) {
          startStack(runtime, started, field, stack, target);
        } else if (field.getAnnotationsByType(WaitFor.class).length > 0) {
          throw new ExtensionConfigurationException(
              "@WaitFor on "
                  + field
                  + " needs @InstanceUnderTest or @ComposeStackUnderTest on the same field");
        }
      }
    }
  }

  private void startInstance(
      Runtime runtime, Started started, Field field, InstanceUnderTest declared, Object target) {
    if (!field.getType().equals(TestInstanceHandle.class)) {
      throw new ExtensionConfigurationException(
          "@InstanceUnderTest field " + field + " must have type TestInstanceHandle");
    }
    List<WaitStrategy> waits = declaredWaits(field, false);
    String name = declared.name().isEmpty() ? field.getName() : declared.name();
    long[] logSizes = InstanceWaitTarget.logSizes(runtime.client(), name);
    List<String> argv = new ArrayList<>(List.of(runtime.program(), "instance", "start"));
    argv.addAll(List.of(declared.options()));
    argv.add(declared.image());
    argv.add(name);
    argv.addAll(List.of(declared.args()));
    CommandResult result = runtime.transport().run(CommandRequest.of(argv));
    if (result.exitCode() != 0) {
      throw new ExtensionConfigurationException(
          "instance start of "
              + name
              + " failed with exit code "
              + result.exitCode()
              + ": "
              + result.stderr().strip());
    }
    // the instance runs from here on: its stop is this scope's before anything else can throw
    WaitTarget waitTarget =
        InstanceWaitTarget.builder(runtime.client(), name)
            .clock(runtime.clock())
            .sleeper(runtime.sleeper())
            .logsFrom(logSizes[0], logSizes[1])
            .build();
    TestInstanceHandle handle =
        new TestInstanceHandle(
            runtime.transport(),
            runtime.client(),
            runtime.program(),
            name,
            runtime.logDirectory() + "/" + name + ".out",
            runtime.logDirectory() + "/" + name + ".err",
            waitTarget,
            runtime.fakeClosed()::get);
    started.stops.add(handle::stop);
    // recorded with its PID, so that reaping never stops another run's instance of the same name
    long pid = runtime.client().find(name).map(i -> i.pid()).orElse(0L);
    SessionRegistry.Registration registration =
        SessionRegistry.current()
            .register(
                new SessionRegistry.Entry("instance", runtime.identity(), name, pid), handle::stop);
    handle.afterStop(registration::release);
    set(field, target, handle);
    for (WaitStrategy wait : waits) {
      handle.waitFor(wait);
    }
  }

  private void startStack(
      Runtime runtime,
      Started started,
      Field field,
      ComposeStackUnderTest declared,
      Object target) {
    boolean handleType = field.getType().equals(TestComposeStack.class);
    if (!handleType && !field.getType().equals(ComposeStack.class)) {
      throw new ExtensionConfigurationException(
          "@ComposeStackUnderTest field "
              + field
              + " must have type TestComposeStack or ComposeStack");
    }
    List<String> services = List.of(declared.services());
    List<WaitStrategy> waits = declaredWaits(field, true);
    List<String> waitServices = new ArrayList<>();
    for (WaitFor w : field.getAnnotationsByType(WaitFor.class)) {
      waitServices.add(w.service());
    }
    List<Path> files = new ArrayList<>();
    if (!declared.file().isEmpty()) {
      files.add(Path.of(declared.file()));
    }
    for (String f : declared.files()) {
      files.add(Path.of(f));
    }
    if (files.isEmpty()) {
      throw new ExtensionConfigurationException(
          "@ComposeStackUnderTest on "
              + field
              + " names no file (file = \"...\" or files = {...})");
    }
    List<Path> absolute = new ArrayList<>();
    for (Path f : files) {
      Path a = f.toAbsolutePath().normalize();
      if (!Files.isRegularFile(a)) {
        throw new ExtensionConfigurationException(
            "compose file "
                + f
                + " of "
                + field
                + " does not exist: relative paths resolve against the working directory "
                + Path.of("").toAbsolutePath()
                + ", so this looked for "
                + a);
      }
      absolute.add(a);
    }
    ComposeProject loaded = ComposeLoader.defaults().load(absolute);
    String name =
        declared.project().isEmpty()
            ? loaded.name()
                + "-"
                + HexFormat.of().toHexDigits((byte) RANDOM.nextInt())
                + HexFormat.of().toHexDigits((short) RANDOM.nextInt())
            : declared.project();
    ComposeProject project = loaded.withName(name);
    for (String s : services) {
      if (project.services().stream().noneMatch(spec -> spec.name().equals(s))) {
        throw new ExtensionConfigurationException(
            "@ComposeStackUnderTest on "
                + field
                + " names service '"
                + s
                + "', which "
                + absolute
                + " does not define");
      }
    }
    SessionRegistry registry = SessionRegistry.current();
    Path stackDirectory = registry.workDirectory().resolve("stacks").resolve(name);
    PlanOptions options =
        PlanOptions.builder()
            .addAllServices(services)
            .addProfiles(declared.profiles())
            .stateDirectoryName(
                stackDirectory.resolve(PlanOptions.STATE_DIRECTORY).toAbsolutePath().toString())
            .build();
    AtomicReference<ComposeStack> up = new AtomicReference<>();
    Runnable down =
        () -> {
          ComposeStack s = up.get();
          if (runtime.fakeClosed().get()) {
            // the closed fake runtime ended every instance of the stack (its transport is closed)
          } else if (s != null) {
            s.down();
          } else {
            runtime.compose().down(stackDirectory);
          }
          try {
            SessionRegistry.deleteTree(stackDirectory);
          } catch (IOException e) {
            // the testkit's own state folder; a leftover is harmless and reported nowhere
          }
        };
    SessionRegistry.Registration registration =
        registry.register(
            new SessionRegistry.Entry("stack", runtime.identity(), stackDirectory.toString()),
            down);
    try {
      up.set(runtime.compose().up(project, options));
    } catch (RuntimeException e) {
      try {
        down.run();
        registration.release(); // only once down succeeded: else the next run reaps the stack
      } catch (RuntimeException d) {
        e.addSuppressed(d);
      }
      throw e;
    }
    started.stops.add(
        () -> {
          down.run();
          registration.release();
        });
    ComposeStack stack = up.get();
    TestComposeStack handle =
        new TestComposeStack(
            stack,
            project,
            runtime.client(),
            instance -> {
              String service =
                  stack.ps().stream()
                      .filter(st -> st.name().equals(instance))
                      .map(st -> st.service())
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "no instance '" + instance + "' in project " + name));
              return TestComposeStack.target(
                  runtime.client(), project, service, instance, runtime.clock(), runtime.sleeper());
            });
    set(field, target, handleType ? handle : stack);
    for (int i = 0; i < waits.size(); i++) {
      handle.waitFor(waitServices.get(i), waits.get(i));
    }
  }

  private static void set(Field field, Object target, Object value) {
    try {
      field.setAccessible(true);
      field.set(target, value);
    } catch (IllegalAccessException e) {
      throw new ExtensionConfigurationException("cannot set " + field, e);
    }
  }

  /** The strategies of the {@link WaitFor} annotations of {@code field}, in order. */
  static List<WaitStrategy> declaredWaits(Field field, boolean stack) {
    List<WaitStrategy> out = new ArrayList<>();
    for (WaitFor w : field.getAnnotationsByType(WaitFor.class)) {
      if (stack && w.service().isEmpty()) {
        throw new ExtensionConfigurationException(
            "@WaitFor on compose stack field " + field + " must name its service");
      }
      if (!stack && !w.service().isEmpty()) {
        throw new ExtensionConfigurationException(
            "@WaitFor on instance field " + field + " must not name a service");
      }
      out.add(strategy(w, field));
    }
    return out;
  }

  static WaitStrategy strategy(WaitFor w, Object where) {
    List<WaitStrategy> kinds = new ArrayList<>();
    try {
      if (!w.logMessage().isEmpty()) {
        kinds.add(Wait.forLogMessage(w.logMessage(), w.times()));
      }
      if (w.listeningPorts().length > 0) {
        kinds.add(Wait.forListeningPort(w.listeningPorts()));
      }
      if (w.listeningPortInInstance() != 0) {
        kinds.add(Wait.forListeningPortInInstance(w.listeningPortInInstance()));
      }
      if (!w.httpPath().isEmpty()) {
        HttpWaitStrategy http = Wait.forHttp(w.httpPath());
        if (w.httpPort() != 0) {
          http = http.forPort(w.httpPort());
        }
        for (int code : w.httpStatus()) {
          http = http.forStatusCode(code);
        }
        kinds.add(http);
      }
      if (w.command().length > 0) {
        kinds.add(Wait.forSuccessfulCommand(w.command()));
      }
      if (w.healthcheck()) {
        kinds.add(Wait.forHealthcheck());
      }
      if (kinds.size() != 1) {
        throw new ExtensionConfigurationException(
            "@WaitFor on "
                + where
                + " must name exactly one of logMessage, listeningPorts, listeningPortInInstance,"
                + " httpPath, command, healthcheck; it names "
                + kinds.size());
      }
      return kinds.get(0).withTimeout(Duration.ofSeconds(w.timeoutSeconds()));
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("@WaitFor on " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type.equals(FakeRuntime.class)
        || type.equals(Transport.class)
        || type.equals(SingularityClient.class)
        || type.equals(Compose.class)
        || type.equals(TestComposeStack.class)
        || type.equals(ComposeStack.class)
        || type.equals(TestInstanceHandle.class);
  }

  /**
   * The value of the one {@link ComposeStackUnderTest}/{@link InstanceUnderTest} field of {@code
   * type} (for a {@code ComposeStack} parameter, also the stack of a {@link TestComposeStack}
   * field).
   */
  private static Object fieldValue(Class<?> type, ExtensionContext context) {
    Class<?> test = context.getRequiredTestClass();
    Object instance = context.getTestInstance().orElse(null);
    List<Field> candidates = new ArrayList<>();
    for (Class<?> c = test; c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        boolean ours =
            f.isAnnotationPresent(ComposeStackUnderTest.class)
                || f.isAnnotationPresent(InstanceUnderTest.class);
        boolean fits =
            f.getType().equals(type)
                || type.equals(ComposeStack.class) && f.getType().equals(TestComposeStack.class);
        if (ours && fits) {
          candidates.add(f);
        }
      }
    }
    if (candidates.size() != 1) {
      throw new ExtensionConfigurationException(
          "a "
              + type.getSimpleName()
              + " parameter needs exactly one matching annotated field in "
              + test.getName()
              + ", found "
              + candidates.size()
              + ": use the field");
    }
    Field f = candidates.get(0);
    Object value;
    try {
      f.setAccessible(true);
      value = f.get(Modifier.isStatic(f.getModifiers()) ? null : instance);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new ExtensionConfigurationException("cannot read " + f, e);
    }
    if (value == null) {
      throw new ExtensionConfigurationException(
          f + " is not started yet here (an instance field is started before each test)");
    }
    if (type.equals(ComposeStack.class) && value instanceof TestComposeStack handle) {
      return handle.stack();
    }
    return value;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Runtime runtime = runtime(context);
    Class<?> type = parameter.getParameter().getType();
    if (type.equals(Transport.class)) {
      return runtime.transport();
    }
    if (type.equals(SingularityClient.class)) {
      return runtime.client();
    }
    if (type.equals(Compose.class)) {
      return runtime.compose();
    }
    if (type.equals(TestComposeStack.class)
        || type.equals(ComposeStack.class)
        || type.equals(TestInstanceHandle.class)) {
      return fieldValue(type, context);
    }
    if (runtime.fake() == null) {
      throw new ExtensionConfigurationException(
          "a FakeRuntime parameter needs the fake runtime, but the real one was chosen");
    }
    return runtime.fake();
  }
}
