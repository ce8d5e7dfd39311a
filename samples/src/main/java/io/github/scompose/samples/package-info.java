/** What a newcomer runs: the {@code scompose} CLI, jshell scripts, JUnit examples, benchmarks. */
package io.github.scompose.samples;
