/** The emulator engine behind {@code FakeRuntime}; not API. */
package io.github.scompose.testkit.internal;
