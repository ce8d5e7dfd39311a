/**
 * Core's typed, unchecked errors, rooted at {@link
 * io.github.scompose.core.errors.SingularityException}.
 */
package io.github.scompose.core.errors;
