package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.compose.InstanceStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code ps} of the compose engine: the recorded instances with what one listing shows now. */
public final class ProjectStatus {

  private ProjectStatus() {}

  /**
   * The instances the state file in {@code stateDirectory} records, with one {@code instance list};
   * empty when there is no state file.
   *
   * @throws io.github.scompose.core.compose.DamagedStateException when the state file is damaged
   */
  public static List<InstanceStatus> ps(EngineSettings settings, Path stateDirectory) {
    Optional<ProjectState> state = StateFile.read(StateFile.in(stateDirectory));
    if (state.isEmpty()) {
      return List.of();
    }
    Map<String, InstanceInfo> listed = new LinkedHashMap<>();
    settings.client().list().forEach(i -> listed.put(i.name(), i));
    List<InstanceStatus> out = new ArrayList<>();
    for (ProjectState.Entry e : state.get().instances()) {
      InstanceInfo i = listed.get(e.name());
      out.add(
          InstanceStatus.builder()
              .service(e.service())
              .name(e.name())
              .state(i == null ? InstanceStatus.State.EXITED : InstanceStatus.State.RUNNING)
              .pid(i == null ? OptionalLong.empty() : OptionalLong.of(i.pid()))
              .ip(e.ip().isEmpty() ? Optional.empty() : Optional.of(e.ip()))
              .image(e.image())
              .restarts(e.restarts())
              .build());
    }
    return out;
  }

  /** The recorded entries; empty when there is no state file. */
  public static List<ProjectState.Entry> entries(Path stateDirectory) {
    return StateFile.read(StateFile.in(stateDirectory))
        .map(ProjectState::instances)
        .orElse(List.of());
  }
}
