/**
 * The transport SPI: argv in, exit code and output out. The only place that starts processes
 * (ArchUnit keeps it so).
 *
 * <p>Implementations here: {@link io.github.scompose.core.transport.LocalProcessTransport} (this
 * machine, {@link java.lang.ProcessBuilder}, no shell) and {@link
 * io.github.scompose.core.transport.SshTransport} (a remote host through the system OpenSSH client,
 * configured by {@link io.github.scompose.core.transport.SshConfig}). The testkit adds an in-JVM
 * emulator. The caller chooses the transport explicitly; the default is local.
 */
package io.github.scompose.core.transport;
