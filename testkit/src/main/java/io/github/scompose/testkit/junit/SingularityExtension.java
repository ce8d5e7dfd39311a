package io.github.scompose.testkit.junit;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.LocalProcessTransport;
import io.github.scompose.core.transport.Transport;
import io.github.scompose.testkit.FakeRuntime;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * FakeRuntime}), starts {@link InstanceUnderTest} fields ({@code static}: once per class; otherwise
 * per test) and stops them after, also after a failure; injects {@link FakeRuntime} (fake runtime
 * only) and {@link Transport} parameters.
 *
 * <p>The fake runtime is built with {@code anyImageExists()} unless the test class declares a
 * {@code static FakeRuntime.Builder fakeRuntime()} method, whose builder is used instead. Not yet
 * done (needs the compose engine): compose stacks, wait strategies, a JVM shutdown hook and the
 * reaping of orphans of dead sessions.
 */
public final class SingularityExtension
    implements ExecutionCondition,
        BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /** System property choosing the runtime: {@code auto}, {@code real} or {@code fake}. */
  public static final String RUNTIME_PROPERTY = "scompose.runtime";

  /** Environment variable choosing the runtime when the property is unset. */
  public static final String RUNTIME_VARIABLE = "SCOMPOSE_RUNTIME";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SingularityExtension.class);

  /** The chosen runtime of a test class, closed with the class's store. */
  private record Runtime(Transport transport, String program, FakeRuntime fake, String logDirectory)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      if (fake != null) {
        fake.close();
      }
      transport.close();
    }
  }

  /** Instances started in one scope, stopped when that scope's store closes. */
  private static final class Started implements ExtensionContext.Store.CloseableResource {
    final List<TestInstanceHandle> handles = new ArrayList<>();

    @Override
    public void close() {
      RuntimeException first = null;
      for (int i = handles.size() - 1; i >= 0; i--) {
        try {
          handles.get(i).stop();
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
    if (annotation.isPresent() && annotation.get().requireReal() && realProgram().isEmpty()) {
      return ConditionEvaluationResult.disabled(
          "SKIPPED: this test requires a real apptainer or singularity binary, and none is on PATH");
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

  /** The first of {@code apptainer}, {@code singularity} found executable on {@code PATH}. */
  static Optional<Path> realProgram() {
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

  private static String choice(ExtensionContext context) {
    String fromAnnotation = annotation(context).map(SingularityTest::runtime).orElse("");
    String value =
        !fromAnnotation.isEmpty()
            ? fromAnnotation
            : Optional.ofNullable(System.getProperty(RUNTIME_PROPERTY))
                .or(() -> Optional.ofNullable(System.getenv(RUNTIME_VARIABLE)))
                .orElse("auto");
    value = value.strip().toLowerCase(Locale.ROOT);
    if (!List.of("auto", "real", "fake").contains(value)) {
      throw new ExtensionConfigurationException(
          "runtime \"" + value + "\" is not one of auto, real, fake");
    }
    return value;
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
    String choice = choice(context);
    Optional<Path> real = realProgram();
    if (choice.equals("real") || choice.equals("auto") && real.isPresent()) {
      Path program =
          real.orElseThrow(
              () ->
                  new ExtensionConfigurationException(
                      "runtime \"real\" was chosen, but no apptainer or singularity is on PATH"));
      String name = program.getFileName().toString();
      String directory = name.equals("apptainer") ? ".apptainer" : ".singularity";
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "localhost";
      }
      String logs =
          Path.of(
                  System.getProperty("user.home"),
                  directory,
                  "instances",
                  "logs",
                  host,
                  System.getProperty("user.name"))
              .toString();
      return new Runtime(LocalProcessTransport.create(), program.toString(), null, logs);
    }
    FakeRuntime fake = programmedFake(context).build();
    String logs = fake.logOutPath("x");
    logs = logs.substring(0, logs.lastIndexOf('/'));
    return new Runtime(fake.transport(), fake.dialect().program(), fake, logs);
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
    return FakeRuntime.builder().anyImageExists();
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
    // the method-level store closes (stopping the instances) after this callback
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // the class-level store closes (stopping the instances, then the runtime) after this callback
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
        InstanceUnderTest declared = field.getAnnotation(InstanceUnderTest.class);
        if (declared == null || Modifier.isStatic(field.getModifiers()) != statics) {
          continue;
        }
        if (!field.getType().equals(TestInstanceHandle.class)) {
          throw new ExtensionConfigurationException(
              "@InstanceUnderTest field " + field + " must have type TestInstanceHandle");
        }
        String name = declared.name().isEmpty() ? field.getName() : declared.name();
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
        TestInstanceHandle handle =
            new TestInstanceHandle(
                runtime.transport(),
                runtime.program(),
                name,
                runtime.logDirectory() + "/" + name + ".out",
                runtime.logDirectory() + "/" + name + ".err");
        started.handles.add(handle);
        try {
          field.setAccessible(true);
          field.set(target, handle);
        } catch (IllegalAccessException e) {
          throw new ExtensionConfigurationException("cannot set " + field, e);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type.equals(FakeRuntime.class) || type.equals(Transport.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Runtime runtime = runtime(context);
    if (parameter.getParameter().getType().equals(Transport.class)) {
      return runtime.transport();
    }
    if (runtime.fake() == null) {
      throw new ExtensionConfigurationException(
          "a FakeRuntime parameter needs the fake runtime, but the real one was chosen");
    }
    return runtime.fake();
  }
}
