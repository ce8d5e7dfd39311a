package io.github.scompose.testkit.junit;

import io.github.scompose.core.transport.CommandRequest;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.testkit.internal.junit.SessionImages;
import io.github.scompose.testkit.internal.junit.SessionRegistry;
import io.github.scompose.testkit.internal.junit.TestRuntime;
import io.github.scompose.testkit.wait.InstanceWaitTarget;
import io.github.scompose.testkit.wait.WaitStrategy;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * An {@link InstanceUnderTest} field: {@code instance start OPTIONS IMAGE NAME ARGS} with the
 * declared environment, its {@link TestInstanceHandle}, its session entry (with the listed PID, so
 * that reaping never stops another run's instance of the same name) and its waits. Not API.
 */
final class DeclaredInstance implements FieldResource {

  /** A variable name the binaries pass on: POSIX's portable name characters. */
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final TestRuntime runtime;
  private final Field field;
  private final InstanceUnderTest declared;
  private final List<WaitStrategy> waits;
  private final Map<String, String> environment;
  private final String name;
  private TestInstanceHandle handle;

  /**
   * Checks the declaration (field type, waits, environment) before anything starts.
   *
   * @throws ExtensionConfigurationException when the field's type, a wait or an environment entry
   *     is wrong
   */
  DeclaredInstance(TestRuntime runtime, Field field, InstanceUnderTest declared) {
    if (!field.getType().equals(TestInstanceHandle.class)) {
      throw new ExtensionConfigurationException(
          "@InstanceUnderTest field " + field + " must have type TestInstanceHandle");
    }
    this.runtime = runtime;
    this.field = field;
    this.declared = declared;
    this.waits = WaitDeclarations.of(field, false);
    this.environment = environment(field, declared.environment());
    this.name = declared.name().isEmpty() ? field.getName() : declared.name();
  }

  /**
   * The {@code KEY=VALUE} entries as a map, in order, a later key winning.
   *
   * @throws ExtensionConfigurationException naming the entry's position (never its value) when it
   *     has no {@code =} or its key is not a variable name
   */
  static Map<String, String> environment(Field field, String[] entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i++) {
      int eq = entries[i].indexOf('=');
      String key = eq < 0 ? "" : entries[i].substring(0, eq);
      if (!VARIABLE.matcher(key).matches()) {
        throw new ExtensionConfigurationException(
            "@InstanceUnderTest(environment) of "
                + field
                + ": entry "
                + (i + 1)
                + (eq < 0
                    ? " has no '=': write KEY=VALUE"
                    : " has key '"
                        + key
                        + "', which is not a variable name ([A-Za-z_][A-Za-z0-9_]*)"));
      }
      out.remove(key);
      out.put(key, entries[i].substring(eq + 1));
    }
    return out;
  }

  @Override
  public void start() {
    long[] logSizes = InstanceWaitTarget.logSizes(runtime.client(), name);
    List<String> argv = new ArrayList<>(List.of(runtime.program(), "instance", "start"));
    argv.addAll(List.of(declared.options()));
    argv.add(SessionImages.image(runtime.client(), declared.image()));
    argv.add(name);
    argv.addAll(List.of(declared.args()));
    // values travel in the binary's environment, never in argv: SINGULARITYENV_K / APPTAINERENV_K
    String prefix = runtime.client().dialect().envPrefix();
    Map<String, String> variables = new LinkedHashMap<>();
    environment.forEach((k, v) -> variables.put(prefix + k, v));
    CommandResult result =
        runtime
            .transport()
            .run(CommandRequest.builder().addAllArgv(argv).putAllEnvironment(variables).build());
    if (result.exitCode() != 0) {
      throw new ExtensionConfigurationException(
          "instance start of "
              + name
              + " failed with exit code "
              + result.exitCode()
              + ": "
              + result.stderr().strip());
    }
    handle =
        new TestInstanceHandle(
            runtime.transport(),
            runtime.client(),
            runtime.program(),
            name,
            runtime.logDirectory() + "/" + name + ".out",
            runtime.logDirectory() + "/" + name + ".err",
            InstanceWaitTarget.builder(runtime.client(), name)
                .clock(runtime.clock())
                .sleeper(runtime.sleeper())
                .logsFrom(logSizes[0], logSizes[1])
                .build(),
            runtime.fakeClosed()::get);
    handle.execEnvironment(variables);
    try {
      long pid = runtime.client().find(name).map(i -> i.pid()).orElse(0L);
      SessionRegistry.Registration registration =
          SessionRegistry.current()
              .register(
                  new SessionRegistry.Entry(
                      SessionRegistry.INSTANCE, runtime.identity(), name, pid),
                  handle::stop);
      handle.afterStop(registration::release);
    } catch (RuntimeException e) {
      try {
        handle.stop();
      } catch (RuntimeException s) {
        e.addSuppressed(s);
      }
      throw e;
    }
  }

  @Override
  public Object value() {
    return handle;
  }

  @Override
  public void awaitReady() {
    for (WaitStrategy wait : waits) {
      handle.waitFor(wait);
    }
  }

  @Override
  public void stop() {
    if (handle != null) {
      handle.stop();
    }
  }

  @Override
  public String toString() {
    return "instance " + name + " of " + field;
  }
}
