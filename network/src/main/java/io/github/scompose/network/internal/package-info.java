/**
 * Implementation of the network module: IP text forms, the JSON reader/writer and format of the
 * lease file, the socket-based host-port probe. Not API: may change in any release.
 */
package io.github.scompose.network.internal;
