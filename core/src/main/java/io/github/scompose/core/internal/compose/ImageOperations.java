package io.github.scompose.core.internal.compose;

import io.github.scompose.core.compose.ImageStep;
import io.github.scompose.core.compose.PlanOptions;
import io.github.scompose.core.compose.ServiceImage;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.spec.ComposeProject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pull}, {@code build} and {@code images} of the compose engine, over the image-only plans
 * of {@link ProjectPlanning#imagePlan}.
 */
public final class ImageOperations {

  private final EngineSettings settings;
  private final ProjectPlanning planning;

  /** Image operations planned by {@code planning}. */
  public ImageOperations(EngineSettings settings, ProjectPlanning planning) {
    this.settings = settings;
    this.planning = planning;
  }

  /**
   * {@code pull} ({@code operation} "pull") or {@code build} ("build") of {@code services} (all
   * when none are given).
   *
   * @return the services whose image was pulled or built now
   */
  public List<String> imageSteps(
      ComposeProject project,
      PlanOptions options,
      String operation,
      boolean force,
      String... services) {
    UpPlan plan = planning.imagePlan(project, options, List.of(services));
    Events events = new Events(project.name(), settings.listeners(), settings.clock());
    ImageSteps steps = new ImageSteps(settings, events);
    List<ImageStep> wanted =
        plan.images().stream()
            .filter(
                s ->
                    operation.equals("pull")
                        ? s.command() instanceof io.github.scompose.core.client.Pull
                        : s.command() instanceof io.github.scompose.core.client.Build)
            .toList();
    Set<String> done = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Parallel.forEach(
        settings.executor(),
        settings.parallelism(),
        wanted,
        step -> {
          if (steps.get(operation, step, force)) {
            done.add(step.service());
          }
        });
    return wanted.stream().map(ImageStep::service).filter(done::contains).toList();
  }

  /**
   * {@link #images(ComposeProject)} at the paths {@code up} plans with {@code options} (its {@link
   * PlanOptions#referenceCompatible()} and state directory).
   */
  public List<ServiceImage> images(ComposeProject project, PlanOptions options) {
    UpPlan plan = planning.imagePlan(project, options, List.of());
    ImageSteps steps =
        new ImageSteps(
            settings, new Events(project.name(), settings.listeners(), settings.clock()));
    List<ServiceImage> out = new ArrayList<>();
    for (io.github.scompose.spec.ServiceSpec s : project.services()) {
      Optional<ImageStep> step =
          plan.images().stream().filter(x -> x.service().equals(s.name())).findFirst();
      ServiceImage.Builder b = ServiceImage.builder().service(s.name());
      String path;
      if (step.isPresent()) {
        path = step.get().destination();
        if (step.get().command() instanceof io.github.scompose.core.client.Pull p) {
          b.source(ServiceImage.Source.PULL).reference(p.uri());
        } else {
          io.github.scompose.core.client.Build bd =
              (io.github.scompose.core.client.Build) step.get().command();
          b.source(ServiceImage.Source.BUILD).reference(bd.spec());
        }
      } else {
        path =
            plan.instances().stream()
                .filter(i -> i.service().equals(s.name()))
                .findFirst()
                .map(i -> i.start().image())
                .orElseThrow();
        b.source(ServiceImage.Source.LOCAL).reference(path);
      }
      boolean present = steps.present(path);
      out.add(
          b.path(path)
              .present(present)
              .sizeBytes(present ? steps.size(path) : java.util.OptionalLong.empty())
              .build());
    }
    return out;
  }
}
