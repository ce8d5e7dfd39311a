/**
 * The JUnit 5 extension: {@link io.github.scompose.testkit.junit.SingularityTest} classes with
 * {@link io.github.scompose.testkit.junit.InstanceUnderTest} fields, on the real binary or the
 * testkit's fake runtime.
 */
package io.github.scompose.testkit.junit;
