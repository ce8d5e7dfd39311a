package io.github.scompose.core.client;

/** One of an instance's two log files. */
public enum LogStream {
  /** The startscript's stdout: {@code <name>.out}. */
  OUT(".out"),
  /** The startscript's stderr: {@code <name>.err}. */
  ERR(".err");

  private final String extension;

  LogStream(String extension) {
    this.extension = extension;
  }

  /** {@code .out} or {@code .err}. */
  public String extension() {
    return extension;
  }
}
