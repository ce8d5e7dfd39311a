package io.github.scompose.testkit.junit;

/**
 * What an annotated field of a test class declares, starting and stopping itself (Testcontainers'
 * {@code Startable}): the extension finds the field, calls {@link #start()}, keeps {@link #stop()}
 * for the end of the field's scope, sets the field to {@link #value()}, then calls {@link
 * #awaitReady()}. Not API.
 */
interface FieldResource {

  /**
   * Starts what the field declares and records it in the session (for the shutdown hook, the
   * watchdog and the reaper). On failure, stops what it started before throwing.
   */
  void start();

  /** The value of the field, once started. */
  Object value();

  /** Runs the field's {@link WaitFor} strategies, in order. */
  void awaitReady();

  /** Stops what {@link #start()} started; idempotent. */
  void stop();
}
