/**
 * JMH benchmarks of every module, packed into {@code samples/target/benchmarks.jar}. Run them all
 * with {@code java -jar samples/target/benchmarks.jar}, or one with a name filter, e.g. {@code java
 * -jar samples/target/benchmarks.jar ComposeLoad}.
 */
package io.github.scompose.samples.bench;
