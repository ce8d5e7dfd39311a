/**
 * A small facade over the C library of the host this JVM runs on: user ids, signals, terminals.
 * Used to decide root vs rootless and to signal instance processes.
 */
package io.github.scompose.core.posix;
