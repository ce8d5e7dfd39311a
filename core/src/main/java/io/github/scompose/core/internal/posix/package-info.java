/** Not API. The implementations behind {@link io.github.scompose.core.posix.Posix}. */
package io.github.scompose.core.internal.posix;
