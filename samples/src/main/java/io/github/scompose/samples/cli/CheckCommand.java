package io.github.scompose.samples.cli;

import io.github.scompose.spec.ComposeProject;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code scompose check}: loads and validates the compose files without touching a runtime. Valid:
 * prints warnings (if any) on stderr and {@code <files>: valid (<n> services)} on stdout, exit 0.
 * Invalid: every problem on its own line as {@code file:line:col: key.path: message}, exit 2.
 */
@Command(name = "check", description = "Validate the compose files (problems: file:line:col).")
final class CheckCommand implements Runnable {

  @ParentCommand ScomposeCommand root;

  @Override
  public void run() {
    ProjectFiles files = root.projectFiles();
    ComposeProject project = files.load();
    ProblemPrinter.print(project.warnings(), root.err);
    root.out.println(
        files.resolve().stream().map(Object::toString).reduce((a, b) -> a + ", " + b).orElse("")
            + ": valid ("
            + project.services().size()
            + (project.services().size() == 1 ? " service" : " services")
            + ", project "
            + project.name()
            + ")");
  }
}
