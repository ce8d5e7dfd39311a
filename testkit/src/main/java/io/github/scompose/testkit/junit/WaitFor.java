package io.github.scompose.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A wait strategy ({@link io.github.scompose.testkit.wait.Wait}) run after the field's instance or
 * stack started and before the test body (and its {@code @BeforeEach} methods); repeatable, run in
 * declaration order. Each names exactly one condition: {@link #logMessage()}, {@link
 * #listeningPorts()}, {@link #listeningPortInInstance()}, {@link #httpPath()}, {@link #command()}
 * or {@link #healthcheck()}. On a {@link ComposeStackUnderTest} field, {@link #service()} is
 * required and every instance of the service is waited for; on an {@link InstanceUnderTest} field
 * it must be empty.
 *
 * <pre>{@code
 * @ComposeStackUnderTest(file = "src/test/resources/stack.yml")
 * @WaitFor(service = "db", healthcheck = true)
 * @WaitFor(service = "web", logMessage = "listening on", timeoutSeconds = 30)
 * static TestComposeStack stack;
 * }</pre>
 *
 * <p>A wait that fails fails the test (or, on a {@code static} field, every test of the class) with
 * a {@link io.github.scompose.testkit.wait.NotReadyException} quoting the instance's last log
 * lines; what was started is brought down.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(WaitFor.List.class)
public @interface WaitFor {

  /** The compose service (stack fields only). */
  String service() default "";

  /** {@link io.github.scompose.testkit.wait.Wait#forLogMessage}: a regex found in a log line. */
  String logMessage() default "";

  /** How many log lines must match {@link #logMessage()}; default 1. */
  int times() default 1;

  /**
   * {@link io.github.scompose.testkit.wait.Wait#forListeningPort}: container ports reached from
   * this host (through published ports).
   */
  int[] listeningPorts() default {};

  /**
   * {@link io.github.scompose.testkit.wait.Wait#forListeningPortInInstance}: a port listening
   * inside the instance (0: unused).
   */
  int listeningPortInInstance() default 0;

  /** {@link io.github.scompose.testkit.wait.Wait#forHttp}: the path to {@code GET}. */
  String httpPath() default "";

  /** The container port of {@link #httpPath()}; default 0: the first published port. */
  int httpPort() default 0;

  /** Accepted status codes of {@link #httpPath()}; default 200. */
  int[] httpStatus() default {200};

  /** {@link io.github.scompose.testkit.wait.Wait#forSuccessfulCommand}: an argv run by exec. */
  String[] command() default {};

  /** {@link io.github.scompose.testkit.wait.Wait#forHealthcheck}: the compose healthcheck. */
  boolean healthcheck() default false;

  /** The timeout in seconds, on the runtime's clock; default 60. */
  long timeoutSeconds() default 60;

  /** The container of repeated {@link WaitFor}. */
  @Target(ElementType.FIELD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface List {
    /** The waits. */
    WaitFor[] value();
  }
}
