package io.github.scompose.core.internal.transport;

import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.core.transport.RunningCommand;
import java.util.concurrent.CompletableFuture;

/** A streamed {@link LocalProcess}: a pool thread waits for it and completes the future. */
public final class LocalRunningCommand implements RunningCommand {

  private final LocalProcess process;
  private final CompletableFuture<CommandResult> completion = new CompletableFuture<>();

  /** Starts waiting for {@code process} (started with a listener) on a pool thread. */
  public LocalRunningCommand(LocalProcess process) {
    this.process = process;
    TransportThreads.pool()
        .execute(
            () -> {
              try {
                completion.complete(process.await().toCommandResult());
              } catch (RuntimeException e) {
                completion.completeExceptionally(e);
              }
            });
  }

  @Override
  public CompletableFuture<CommandResult> completion() {
    return completion;
  }

  @Override
  public void cancel() {
    process.killInBackground();
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }
}
