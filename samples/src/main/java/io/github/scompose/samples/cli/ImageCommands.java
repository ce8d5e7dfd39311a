package io.github.scompose.samples.cli;

import io.github.scompose.core.client.Build;
import io.github.scompose.core.client.Pull;
import io.github.scompose.core.compose.ImageStep;
import io.github.scompose.core.compose.UpPlan;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pull}, {@code build}, {@code images}: the image steps of the project's plan (pull of an
 * {@code image:} URI, build of a {@code build} recipe, into the SIF file the engine starts from). A
 * step whose SIF file exists is skipped, as {@code up} skips it.
 */
final class ImageCommands {

  enum Kind {
    PULL,
    BUILD,
    ANY
  }

  private ImageCommands() {}

  static void getImages(ScomposeCommand root, List<String> services, Kind kind) {
    try (ProjectSession session = ProjectSession.open(root)) {
      UpPlan plan = session.compose().plan(session.project(), session.planOptions(services));
      int n = 0;
      for (ImageStep step : plan.images()) {
        boolean pull = step.command() instanceof Pull;
        boolean build = step.command() instanceof Build;
        if (kind == Kind.PULL && !pull || kind == Kind.BUILD && !build) {
          continue;
        }
        n++;
        if (present(session, step)) {
          root.err.println("[+] " + step.service() + " image present " + step.destination());
          continue;
        }
        root.err.println(
            "[+] " + step.service() + (pull ? " pulling " : " building ") + step.destination());
        session.client().execute(step.command());
        root.err.println("[+] " + step.service() + " image ready " + step.destination());
      }
      root.out.println(
          n == 0
              ? "no image to " + (kind == Kind.BUILD ? "build" : "pull")
              : n + (n == 1 ? " image" : " images") + " ready");
    }
  }

  static boolean present(ProjectSession session, ImageStep step) {
    return session.client().transport().readFile(step.destination(), Long.MAX_VALUE).isPresent();
  }

  /** {@code pull}. */
  @Command(name = "pull", description = "Pull the services' images (image: URIs).")
  static final class PullImages implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      getImages(root, services, Kind.PULL);
    }
  }

  /** {@code build}. */
  @Command(name = "build", description = "Build the services' images (build: recipes).")
  static final class BuildImages implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      getImages(root, services, Kind.BUILD);
    }
  }

  /** {@code images}. */
  @Command(name = "images", description = "List each service's image and whether it is present.")
  static final class Images implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        UpPlan plan = session.compose().plan(session.project(), session.planOptions(services));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "SOURCE", "IMAGE", "PRESENT"});
        List<String> withSteps = new ArrayList<>();
        for (ImageStep step : plan.images()) {
          String source =
              step.command() instanceof Pull p
                  ? p.uri()
                  : step.command() instanceof Build b ? "build " + b.spec() : "-";
          rows.add(
              new String[] {
                step.service(), source, step.destination(), present(session, step) ? "yes" : "no"
              });
          withSteps.add(step.service());
        }
        plan.instances().stream()
            .filter(i -> i.replica() == 1 && !withSteps.contains(i.service()))
            .forEach(i -> rows.add(new String[] {i.service(), "file", i.start().image(), "-"}));
        int[] w = new int[4];
        rows.forEach(
            r -> {
              for (int c = 0; c < 4; c++) {
                w[c] = Math.max(w[c], r[c].length());
              }
            });
        for (String[] r : rows) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < 4; c++) {
            line.append(r[c]).append(c < 3 ? " ".repeat(w[c] - r[c].length() + 3) : "");
          }
          root.out.println(line.toString().stripTrailing());
        }
      }
    }
  }
}
