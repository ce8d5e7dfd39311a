package io.github.scompose.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an instance on a field of type {@link TestInstanceHandle} in a {@link SingularityTest}
 * class: started ({@code instance start OPTIONS IMAGE NAME ARGS}, with {@link #environment()})
 * before the test (a {@code static} field: before all tests of the class) and stopped after it,
 * also when it failed.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InstanceUnderTest {

  /** The image path or URI, e.g. {@code /images/redis.sif}. */
  String image();

  /** The instance name; default: the field name. */
  String name() default "";

  /** Options before the image, e.g. {@code {"--writable-tmpfs"}}; default none. */
  String[] options() default {};

  /** Startscript arguments after the name; default none. */
  String[] args() default {};

  /**
   * Variables of the instance's environment, each {@code "KEY=VALUE"} (split at the first {@code
   * =}; the value may be empty or hold more {@code =}; a later entry of the same key wins), e.g.
   * {@code {"REDIS_PORT=6380", "MODE=test"}}; default none. They reach the instance as the binary's
   * {@code SINGULARITYENV_KEY}/{@code APPTAINERENV_KEY} variables of {@code instance start} (every
   * version has them; the values never appear in argv), so the startscript, and {@code exec} into
   * the instance, see them. An entry without {@code =}, or whose key is not a variable name ({@code
   * [A-Za-z_][A-Za-z0-9_]*}), is an {@code ExtensionConfigurationException} naming its position,
   * never its value.
   */
  String[] environment() default {};
}
