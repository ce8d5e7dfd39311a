/**
 * The transport SPI: argv in, exit code and output out. The only place that starts processes
 * (ArchUnit keeps it so).
 */
package io.github.scompose.core.transport;
