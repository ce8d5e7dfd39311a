/**
 * The loading pipeline behind {@link io.github.scompose.spec.ComposeLoader}: read, detect the
 * format, interpolate, include, extend, merge, bind to the model, check, order. Not API.
 */
package io.github.scompose.spec.internal.load;
