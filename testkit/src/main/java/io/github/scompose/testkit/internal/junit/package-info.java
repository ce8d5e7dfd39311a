/** Internals of the JUnit extension (not API): the session registry and its reaping. */
package io.github.scompose.testkit.internal.junit;
