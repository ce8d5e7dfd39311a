package io.github.scompose.samples.tour;

import io.github.scompose.core.compose.Compose;
import io.github.scompose.core.compose.ComposeStack;
import io.github.scompose.core.compose.LogOptions;
import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.spec.ComposeLoader;
import io.github.scompose.spec.ComposeProject;
import java.nio.file.Path;

/**
 * The README's five-minute tour, kept here so that the build compiles it. Needs a real {@code
 * apptainer} or {@code singularity} on {@code PATH} ({@link Compose#local()}); the jshell script
 * {@code samples/jshell/stack.jsh} runs the same calls on the embedded fake runtime.
 */
public final class Tour {

  private Tour() {}

  /**
   * Brings the nginx + app example up, prints its instances, runs a command in one, restarts a
   * service, runs a one-off command on a service's image, prints the merged logs, and takes it all
   * down again.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    // README tour: begin
    ComposeProject project =
        ComposeLoader.defaults()
            .load(Path.of("samples/examples/nginx-app/singularity-compose.yml"));
    try (ComposeStack stack = Compose.local().up(project)) { // close() = down
      stack.ps().forEach(i -> System.out.println(i.name() + " " + i.state() + " " + i.ip()));
      CommandResult r = stack.exec("nginx", "nginx", "-v");
      System.out.println(r.exitCode() + " " + r.stdout());
      stack.restart("app"); // stop, then start with the same command line and address
      CommandResult once = stack.run("app", "python3", "--version"); // one-off, not an instance
      System.out.println(once.stdout());
      System.out.print(stack.logs(LogOptions.tail(20))); // "app-1 | ..." lines of every service
    }
    // README tour: end
  }
}
