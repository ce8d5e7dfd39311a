/**
 * Variable interpolation of compose-file values ({@code ${VAR:-default}} and friends) and the
 * {@code .env} / {@code env_file} format. Internal: the loader calls them; not API.
 */
package io.github.scompose.spec.internal.interpolation;
