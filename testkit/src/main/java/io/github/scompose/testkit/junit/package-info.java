/**
 * The JUnit 5 extension: {@link io.github.scompose.testkit.junit.SingularityTest} classes with
 * {@link io.github.scompose.testkit.junit.InstanceUnderTest} and {@link
 * io.github.scompose.testkit.junit.ComposeStackUnderTest} fields, {@link
 * io.github.scompose.testkit.junit.WaitFor} wait strategies, on the real binary or the testkit's
 * fake runtime; teardown after each test or class, on failure, at JVM exit, by a watchdog process
 * when the JVM is killed, and by reaping what dead JVMs left (see {@link
 * io.github.scompose.testkit.junit.SingularityExtension}).
 */
package io.github.scompose.testkit.junit;
