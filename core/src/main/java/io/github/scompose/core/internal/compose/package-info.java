/** Internals of the compose engine: dependency levels, execution, the state file. Not API. */
package io.github.scompose.core.internal.compose;
