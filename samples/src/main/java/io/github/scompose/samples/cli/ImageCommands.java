package io.github.scompose.samples.cli;

import io.github.scompose.core.compose.ServiceImage;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pull}, {@code build}, {@code images}: the engine's image operations ({@link
 * io.github.scompose.core.compose.Compose#pull}, {@code build}, {@code images}) — the image steps
 * {@code up} plans, into the SIF files it starts from. A present image is skipped unless {@code
 * --force}; progress goes to stderr through the engine's events.
 */
final class ImageCommands {

  private ImageCommands() {}

  private static void report(ScomposeCommand root, List<String> done, String verb) {
    root.out.println(
        done.isEmpty()
            ? "no image to " + verb
            : done.size() + (done.size() == 1 ? " image " : " images ") + verb + "ed");
  }

  /** {@code pull}. */
  @Command(name = "pull", description = "Pull the services' images (image: URIs).")
  static final class PullImages implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Option(names = "--force", description = "Pull again when the image is present.")
    boolean force;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        session.checkServices(services);
        report(
            root,
            session
                .compose()
                .pull(
                    session.project(),
                    session.planOptions(List.of()),
                    force,
                    services.toArray(String[]::new)),
            "pull");
      }
    }
  }

  /** {@code build}. */
  @Command(name = "build", description = "Build the services' images (build: recipes).")
  static final class BuildImages implements Runnable {
    @ParentCommand ScomposeCommand root;

    @Option(names = "--force", description = "Build again when the image is present.")
    boolean force;

    @Parameters(paramLabel = "SERVICE")
    List<String> services = new ArrayList<>();

    @Override
    public void run() {
      try (ProjectSession session = ProjectSession.open(root)) {
        session.checkServices(services);
        // "build" + "ed" reads badly: say "built"
        List<String> done =
            session
                .compose()
                .build(
                    session.project(),
                    session.planOptions(List.of()),
                    force,
                    services.toArray(String[]::new));
        root.out.println(
            done.isEmpty()
                ? "no image to build"
                : done.size() + (done.size() == 1 ? " image" : " images") + " built");
      }
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
        session.checkServices(services);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "SOURCE", "IMAGE", "PRESENT", "SIZE"});
        for (ServiceImage i :
            session.compose().images(session.project(), session.planOptions(List.of()))) {
          if (!services.isEmpty() && !services.contains(i.service())) {
            continue;
          }
          String source =
              switch (i.source()) {
                case PULL -> i.reference();
                case BUILD -> "build " + i.reference();
                case LOCAL -> "file";
              };
          rows.add(
              new String[] {
                i.service(),
                source,
                i.path(),
                i.present() ? "yes" : "no",
                i.sizeBytes().isPresent() ? size(i.sizeBytes().getAsLong()) : "-"
              });
        }
        int[] w = new int[5];
        rows.forEach(
            r -> {
              for (int c = 0; c < 5; c++) {
                w[c] = Math.max(w[c], r[c].length());
              }
            });
        for (String[] r : rows) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < 5; c++) {
            line.append(r[c]).append(c < 4 ? " ".repeat(w[c] - r[c].length() + 3) : "");
          }
          root.out.println(line.toString().stripTrailing());
        }
      }
    }
  }

  /** Bytes for people: {@code 512B}, {@code 3.4MB} (powers of 1000, as docker images prints). */
  static String size(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB"};
    double v = bytes;
    int u = 0;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return u == 0 ? bytes + "B" : String.format(java.util.Locale.ROOT, "%.1f%s", v, units[u]);
  }
}
