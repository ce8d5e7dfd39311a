package io.github.scompose.testkit.internal.junit;

import io.github.scompose.core.client.InstanceStop;
import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.errors.InstanceNotFoundException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops what dead test sessions left running (the second line of defence after the {@link
 * Watchdog}): the first time a test class of this JVM uses a runtime, the dead sessions of this
 * host in the session directory are reaped for that runtime ({@link SessionRegistry#reap}); each
 * leftover is reported on stderr. The same stop rule serves the watchdog.
 */
public final class SessionReaper {

  private static final Set<String> REAPED = ConcurrentHashMap.newKeySet();

  private SessionReaper() {}

  /** Stops what dead JVMs' sessions left on {@code runtime}; once per runtime and directory. */
  static void reapDeadSessions(TestRuntime runtime) {
    SessionRegistry registry = SessionRegistry.current();
    if (!REAPED.add(registry.directory() + "\n" + runtime.identity())) {
      return;
    }
    for (SessionRegistry.Reaped r :
        registry.reap(runtime.identity(), stopper(runtime.client(), runtime.compose()))) {
      if (!r.entries().isEmpty() || !r.failures().isEmpty()) {
        System.err.println(
            "scompose testkit: reaped "
                + r.entries().size()
                + " leftover(s) of dead test session "
                + r.session()
                + (r.failures().isEmpty() ? "" : "; could not stop: " + r.failures()));
      }
    }
  }

  /**
   * How a dead session's entry is stopped on a runtime: a {@code stack} by {@code down} from its
   * state folder; an {@code instance} by {@code instance stop}, only while an instance of that name
   * is listed with the recorded PID (or no PID was recorded) — an instance gone already, or whose
   * name now belongs to another run's instance, is left alone.
   */
  public static SessionRegistry.Reaper stopper(SingularityClient client, Compose compose) {
    return entry -> {
      if (entry.kind().equals(SessionRegistry.STACK)) {
        compose.down(Path.of(entry.value()));
      } else {
        var listed = client.find(entry.value());
        if (listed.isPresent() && (entry.pid() == 0 || listed.get().pid() == entry.pid())) {
          try {
            client.stop(InstanceStop.of(entry.value()));
          } catch (InstanceNotFoundException e) {
            // ended meanwhile
          }
        }
      }
    };
  }
}
