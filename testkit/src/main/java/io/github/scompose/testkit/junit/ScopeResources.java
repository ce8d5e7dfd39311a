package io.github.scompose.testkit.junit;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What one scope (a test class, a test method) started, stopped newest first when that scope's
 * store closes; a failed stop does not keep the others running, and the first failure is thrown
 * after all were tried. A {@code CloseableResource} and an {@code AutoCloseable} (JUnit 5.10 to
 * 5.12 close the first, 5.13 and later the second and warn about the first: closed once either
 * way). Not API.
 */
final class ScopeResources implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  private final List<FieldResource> resources = new ArrayList<>();

  /** Adds a started resource; stopped before those added earlier. */
  synchronized void add(FieldResource resource) {
    resources.add(resource);
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).stop();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
