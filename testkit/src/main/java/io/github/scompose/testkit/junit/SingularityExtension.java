package io.github.scompose.testkit.junit;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.ComposeWiring;
import io.github.scompose.core.compose.RuntimeChoice;
import io.github.scompose.core.compose.RuntimeSelection;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeRuntime;
import io.github.scompose.testkit.VirtualTimeSource;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.TestRuntime;
import io.github.scompose.testkit.internal.junit.Watchdog;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
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
 * stop in the file. Singularity instances carry no labels, so the session file is the only marker.
 * <b>SIGKILL</b> (or the out-of-memory killer) skips the hook: for that, the first test class on a
 * runtime whose instances outlive the JVM (the real binary, a directory-backed fake) starts this
 * JVM's <b>watchdog</b>, a small second JVM holding a pipe from this one; when the pipe closes
 * (this JVM ended, however), it stops what the session file still names, within seconds (system
 * property {@value #WATCHDOG_PROPERTY} {@code =false}: no watchdog). Second line of defence: when a
 * test class first uses a runtime, the sessions of dead JVMs of this host are reaped — their
 * instances and stacks on that runtime are stopped ({@code instance stop}; {@code down} from the
 * stack's state file). Limits, honestly: a power loss kills the watchdog too; its leftovers run
 * until the next run by the same user, on the same host, with the same session directory and
 * runtime, reaps them; an instance renamed or stopped by hand is reported and skipped.
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

  /**
   * System property naming the session directory (where each JVM records what it started, so that a
   * later run reaps what a killed JVM left running); created {@code rwx------} when missing.
   */
  public static final String SESSION_DIRECTORY_PROPERTY = SessionRegistry.DIRECTORY_PROPERTY;

  /** Environment variable naming the session directory when the property is unset. */
  public static final String SESSION_DIRECTORY_VARIABLE = SessionRegistry.DIRECTORY_VARIABLE;

  /**
   * System property turning the watchdog off ({@code false}); default on. Read when a test class
   * first needs it.
   */
  public static final String WATCHDOG_PROPERTY = Watchdog.PROPERTY;

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SingularityExtension.class);

  private static final Set<Class<?>> INJECTED =
      Set.of(
          FakeRuntime.class,
          Transport.class,
          SingularityClient.class,
          Compose.class,
          TestComposeStack.class,
          ComposeStack.class,
          TestInstanceHandle.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<SingularityTest> annotation = annotation(context);
    if (annotation.isPresent() && annotation.get().requireReal()) {
      if (realProgram().isEmpty()) {
        return ConditionEvaluationResult.disabled(
            "SKIPPED: this test requires a real apptainer or singularity binary, and none is on"
                + " PATH");
      }
      RuntimeSelection selection =
          TestRuntime.selection(context.getRequiredTestClass(), annotation.get().runtime());
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

  /** The binary the real runtime would use ({@link TestRuntime#realProgram()}). */
  static Optional<Path> realProgram() {
    return TestRuntime.realProgram();
  }

  private TestRuntime runtime(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    ExtensionContext classContext = c;
    Class<?> type = classContext.getRequiredTestClass();
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "runtime",
            k ->
                TestRuntime.create(
                    type,
                    annotation(classContext).map(SingularityTest::runtime).orElse(""),
                    !AnnotatedFields.of(type, ComposeStackUnderTest.class).isEmpty()),
            TestRuntime.class);
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
    TestRuntime runtime = runtime(context);
    ScopeResources started =
        context
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(
                "started:" + context.getUniqueId(),
                k -> new ScopeResources(),
                ScopeResources.class);
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) != statics) {
          continue;
        }
        InstanceUnderTest instance = field.getAnnotation(InstanceUnderTest.class);
        ComposeStackUnderTest stack = field.getAnnotation(ComposeStackUnderTest.class);
        FieldResource resource;
        if (instance != null && stack != null) {
          throw new ExtensionConfigurationException(
              field + " has both @InstanceUnderTest and @ComposeStackUnderTest");
        } else if (instance != null) {
          resource = new DeclaredInstance(runtime, field, instance);
        } else if (stack != null) {
          resource = new DeclaredStack(runtime, field, stack);
        } else if (field.getAnnotationsByType(WaitFor.class).length > 0) {
          throw new ExtensionConfigurationException(
              "@WaitFor on "
                  + field
                  + " needs @InstanceUnderTest or @ComposeStackUnderTest on the same field");
        } else {
          continue;
        }
        resource.start();
        // running from here on: its stop is this scope's before anything else can throw
        started.add(resource);
        AnnotatedFields.set(field, target, resource.value());
        resource.awaitReady();
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return INJECTED.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestRuntime runtime = runtime(context);
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
    if (type.equals(FakeRuntime.class)) {
      if (runtime.fake() == null) {
        throw new ExtensionConfigurationException(
            "a FakeRuntime parameter needs the fake runtime, but the real one was chosen");
      }
      return runtime.fake();
    }
    return AnnotatedFields.valueFor(type, context);
  }
}
