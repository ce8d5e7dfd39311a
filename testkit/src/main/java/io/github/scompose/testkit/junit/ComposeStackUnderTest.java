package io.github.scompose.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a compose stack on a field of type {@link TestComposeStack} (or the engine's {@link
 * io.github.scompose.core.compose.ComposeStack}) in a {@link SingularityTest} class: loaded with
 * {@link io.github.scompose.spec.ComposeLoader}, brought up ({@code Compose.up}) before the test (a
 * {@code static} field: before all tests of the class, Testcontainers' rule), then the field's
 * {@link WaitFor} strategies run; brought down after, also when the test or a wait failed.
 *
 * <p>Files: {@link #file()} then {@link #files()}, later files overriding earlier ones (compose's
 * {@code -f a -f b}). A relative path resolves against the test's working directory (the JVM's
 * {@code user.dir}; under Maven Surefire: the module's folder, so {@code
 * src/test/resources/stack.yml}). Relative paths inside the file resolve against the first file's
 * folder, as with the CLI.
 *
 * <p>Project name: {@link #project()} exactly when given; otherwise the loaded name (the first
 * file's {@code name:} or folder) plus {@code -} and 6 random hex digits, so that per-test stacks,
 * parallel test classes and concurrent builds of the same user never share instance names. The
 * engine's state ({@code .scompose}: state file, hosts and resolver files, named volumes) goes to
 * the test session's folder (see {@link SingularityExtension}), never next to the compose file, and
 * is deleted after {@code down}.
 *
 * <p>On the fake runtime every image of the file exists ({@code anyImageExists()} is added to the
 * class's {@code fakeRuntime()} builder, whose programmed images keep their behaviour).
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ComposeStackUnderTest {

  /** The compose file, e.g. {@code src/test/resources/stack.yml}; default none (use files). */
  String file() default "";

  /** More compose files, after {@link #file()}; default none. */
  String[] files() default {};

  /** The project name, used exactly; default: the loaded name plus a random suffix. */
  String project() default "";

  /** Only these services and what they depend on ({@code up web}); default: all. */
  String[] services() default {};

  /**
   * Compose profiles to activate ({@code --profile}); default: none given, so the variable {@code
   * COMPOSE_PROFILES} decides (unset: only services without {@code profiles}, plus {@link
   * #services()}, start).
   */
  String[] profiles() default {};

  /**
   * Reuse the stack across test runs (Testcontainers' {@code withReuse}): brought up under a stable
   * project name in a folder outside the session, adopted by the next run when its configuration is
   * unchanged, and never brought down by the extension. Only when this machine allows it too
   * (system property {@code scompose.testkit.reuse=true}, variable {@code
   * SCOMPOSE_TESTKIT_REUSE=true}, or {@code testkit.reuse.enable=true} in {@code
   * ~/.scompose/testkit.properties}); otherwise, as by default ({@code false}), a fresh stack that
   * is brought down after. See {@link SingularityExtension}.
   */
  boolean reuse() default false;
}
