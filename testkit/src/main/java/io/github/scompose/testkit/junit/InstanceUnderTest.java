package io.github.scompose.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an instance on a field of type {@link TestInstanceHandle} in a {@link SingularityTest}
 * class: started ({@code instance start OPTIONS IMAGE NAME ARGS}) before the test (a {@code static}
 * field: before all tests of the class) and stopped after it, also when it failed.
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
}
