package io.github.scompose.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class whose {@link InstanceUnderTest} and {@link ComposeStackUnderTest}
 * fields get instances and compose stacks started before and stopped after (Testcontainers' rule:
 * {@code static} fields live for the class, instance fields for each test; stopped also after a
 * failure and, through a shutdown hook, when the JVM exits), with {@link WaitFor} wait strategies
 * run before the test body, on the real binary or on the testkit's fake runtime.
 *
 * <pre>{@code
 * @SingularityTest
 * class ShopTest {
 *   @ComposeStackUnderTest(file = "src/test/resources/shop.yml")
 *   @WaitFor(service = "db", healthcheck = true)
 *   static TestComposeStack shop;
 *
 *   @Test
 *   void appAnswers() {
 *     assertEquals("PONG\n", shop.exec("cache", "redis-cli", "ping").stdout());
 *   }
 * }
 * }</pre>
 *
 * <p>Runtime choice: {@link #runtime()}, else system property {@code scompose.runtime}, else
 * environment variable {@code SCOMPOSE_RUNTIME}: {@code auto} (default: the real {@code
 * apptainer}/{@code singularity} when on {@code PATH}, the fake otherwise), {@code real} or {@code
 * fake}; another value is a configuration error naming where it came from ({@code
 * io.github.scompose.core.compose.RuntimeChoice}, the same rule as the CLI's {@code --runtime}).
 * With {@link #requireReal()} the class is skipped, with the reason, where no real binary exists or
 * {@code fake} was chosen. See {@link SingularityExtension} for the fake's defaults and the
 * teardown guarantees.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SingularityExtension.class)
public @interface SingularityTest {

  /** {@code auto}, {@code real}, {@code fake}, or empty (default) to use the property/variable. */
  String runtime() default "";

  /**
   * Skip the class unless a real binary is found and the runtime chosen is not {@code fake};
   * default false.
   */
  boolean requireReal() default false;
}
