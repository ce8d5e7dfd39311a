package io.github.scompose.core.internal.transport;

import java.io.InputStream;

/**
 * Ways a transport built on {@link LocalProcess} adapts it, e.g. SSH reading the remote PID off
 * stderr and killing the remote process group before the local client.
 */
public interface ProcessHooks {

  /** No adaptation. */
  ProcessHooks NONE = new ProcessHooks() {};

  /** Wraps the child's stderr before it is drained; default: unchanged. */
  default InputStream stderr(InputStream stderr) {
    return stderr;
  }

  /**
   * Called on a timeout, interrupt or cancel before the local process is signalled; may block
   * briefly (it runs on the thread doing the kill). Default: nothing.
   */
  default void beforeKill() {}
}
