/**
 * The compose engine: {@code up}, {@code down}, {@code ps}, {@code logs}, {@code exec} of a loaded
 * {@link io.github.scompose.spec.ComposeProject} over the instance client.
 *
 * <p>Plan first, then execute: {@link io.github.scompose.core.compose.UpPlanner} turns a project,
 * the {@link io.github.scompose.core.compose.RuntimeFacts} and a {@link
 * io.github.scompose.network.NetworkPlan} into an immutable {@link
 * io.github.scompose.core.compose.UpPlan} (printable as a dry run); {@link
 * io.github.scompose.core.compose.Compose} executes it and returns a {@link
 * io.github.scompose.core.compose.ComposeStack}, an {@code AutoCloseable} handle whose {@code
 * close()} is {@code down}.
 *
 * <pre>{@code
 * ComposeProject project = ComposeLoader.defaults().load(Path.of("singularity-compose.yml"));
 * try (ComposeStack stack = Compose.builder().client(SingularityClient.discover(transport)).build()
 *     .up(project)) {
 *   System.out.println(stack.ps());
 * }
 * }</pre>
 */
package io.github.scompose.core.compose;
