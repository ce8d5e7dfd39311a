/**
 * The instance client over a pluggable transport, the dialects of the {@code singularity} / {@code
 * apptainer} binary, and the compose engine.
 */
package io.github.scompose.core;
