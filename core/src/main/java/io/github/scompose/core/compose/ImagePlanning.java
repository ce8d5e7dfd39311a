package io.github.scompose.core.compose;

import io.github.scompose.core.client.Build;
import io.github.scompose.core.client.Pull;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.spec.BuildSpec;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.ServiceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The images of {@link UpPlanner}: the path each service's instances start from, and the pull or
 * build step that makes it (a Docker image, a URI, a local SIF or sandbox, a {@code build}).
 */
final class ImagePlanning {

  private ImagePlanning() {}

  static final List<String> URI_SCHEMES =
      List.of("docker://", "library://", "shub://", "oras://", "http://", "https://");

  /**
   * @param fromDocker pulled from {@code docker://}: an image converted from Docker, which has a
   *     runscript but no startscript
   */
  record ImageChoice(String path, Optional<ImageStep> step, boolean fromDocker) {}

  static ImageChoice image(
      ComposeProject project, ServiceSpec s, Path state, boolean referencePaths) {
    Path images = state.resolve("images");
    if (s.build().isPresent()) {
      BuildSpec b = s.build().get();
      String dest = (referencePaths ? b.context() : images).resolve(s.name() + ".sif").toString();
      String recipe = b.context().resolve(b.recipe().orElse("Singularity")).toString();
      Build.Builder build = Build.builder().destination(dest).spec(recipe);
      for (String o : b.options()) {
        if (o.equals("fakeroot")) {
          build.fakeroot(true);
        } else {
          build.addOption(o);
        }
      }
      return new ImageChoice(dest, Optional.of(step(s, build.build(), dest)), false);
    }
    String image =
        s.image()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "service '" + s.name() + "' has neither image nor build"));
    boolean uri = URI_SCHEMES.stream().anyMatch(image::startsWith);
    boolean composeSpec = !project.format().isSingularityCompose();
    if (composeSpec && !uri && !image.startsWith("/") && !image.startsWith(".")) {
      image = "docker://" + image;
      uri = true;
    }
    if (!uri) {
      return new ImageChoice(image, Optional.empty(), false);
    }
    Path dest =
        referencePaths && !composeSpec
            ? project.directory().resolve(s.name()).resolve(s.name() + ".sif")
            : images.resolve(s.name() + ".sif");
    return new ImageChoice(
        dest.toString(),
        Optional.of(
            step(
                s,
                Pull.builder().uri(image).destination(dest.toString()).build(),
                dest.toString())),
        image.startsWith("docker://"));
  }

  static ImageStep step(ServiceSpec s, SingularityCommand c, String dest) {
    return ImageStep.builder().service(s.name()).command(c).destination(dest).build();
  }
}
