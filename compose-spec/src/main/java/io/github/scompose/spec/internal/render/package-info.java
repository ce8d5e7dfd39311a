/** Writes a resolved {@link io.github.scompose.spec.ComposeProject} back as YAML. Not API. */
package io.github.scompose.spec.internal.render;
