package io.github.scompose.core.transport;

import java.util.concurrent.CompletableFuture;

/** A command started with {@link Transport#start}: its completion, and a way to stop it. */
public interface RunningCommand {

  /**
   * Completes with the result when the command exits (all its output delivered first), or
   * exceptionally with {@link CommandTimeoutException} when it ran past its timeout.
   */
  CompletableFuture<CommandResult> completion();

  /**
   * Stops the command (locally: its whole process tree, SIGTERM then SIGKILL) and returns at once;
   * {@link #completion()} then completes with the exit code it had. Idempotent.
   */
  void cancel();

  /** Whether the command is still running. */
  boolean isAlive();
}
