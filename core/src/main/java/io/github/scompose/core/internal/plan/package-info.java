/**
 * Rules the planner shares with the layers above it (the engine across nodes): dependency levels of
 * a service graph and the splitting of a command text into words. Internal: not exported.
 */
package io.github.scompose.core.internal.plan;
