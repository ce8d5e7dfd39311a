package io.github.scompose.testkit.junit;

import io.github.scompose.testkit.wait.HttpWaitStrategy;
import io.github.scompose.testkit.wait.Wait;
import io.github.scompose.testkit.wait.WaitStrategy;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The wait strategies a field's {@link WaitFor} annotations declare. Not API. */
final class WaitDeclarations {

  private WaitDeclarations() {}

  /**
   * The strategies of the {@link WaitFor} annotations of {@code field}, in order.
   *
   * @param stack whether the field holds a compose stack (each annotation then names its service)
   * @throws ExtensionConfigurationException when an annotation names a service where it must not,
   *     or none where it must, or not exactly one kind of wait
   */
  static List<WaitStrategy> of(Field field, boolean stack) {
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

  /** The services the {@link WaitFor} annotations of {@code field} name, in order. */
  static List<String> services(Field field) {
    List<String> out = new ArrayList<>();
    for (WaitFor w : field.getAnnotationsByType(WaitFor.class)) {
      out.add(w.service());
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
}
