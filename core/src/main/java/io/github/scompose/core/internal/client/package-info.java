/** Internals of the instance client: dialects, argv rendering, output parsing, error mapping. */
package io.github.scompose.core.internal.client;
