/**
 * Wait strategies: when an instance is ready for a test. {@link
 * io.github.scompose.testkit.wait.Wait} makes them (log line, TCP port from the host or inside the
 * instance, HTTP status, command, the compose file's healthcheck); {@link
 * io.github.scompose.testkit.wait.WaitTarget} is what they look at, with the clock they poll on.
 */
package io.github.scompose.testkit.wait;
