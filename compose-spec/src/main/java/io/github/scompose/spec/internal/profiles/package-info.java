/** Compose profiles: which services are enabled. Internal, not API. */
package io.github.scompose.spec.internal.profiles;
