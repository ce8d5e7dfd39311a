/**
 * Parsers of the compact string forms in compose files: published ports, volume mounts and
 * durations. Internal: the loader calls them; not API.
 */
package io.github.scompose.spec.internal.syntax;
