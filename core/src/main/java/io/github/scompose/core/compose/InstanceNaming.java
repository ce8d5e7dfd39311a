package io.github.scompose.core.compose;

/**
 * How instances of a service are named.
 *
 * <ul>
 *   <li>{@link #PROJECT} (default): {@code <project>-<service>-<n>}, e.g. {@code shop-web-1};
 *       unique per project, so two projects never collide on the same host.
 *   <li>{@link #REFERENCE}: singularity-compose 0.1.19's {@code <service><n>}, e.g. {@code web1}
 *       (recorded from singularity-compose 0.1.19 on SingularityCE 3.4.2), for scripts that expect
 *       its names.
 *   <li>{@link #STACK}: singularity-stack's {@code <stack>.<service>}, e.g. {@code app.mongo} (its
 *       README's {@code instance.list}), the project name standing for the stack; replicas after
 *       the first get {@code .<n>} ({@code app.mongo.2}), as singularity-stack's replica ids do.
 * </ul>
 *
 * <p>{@code n} is the 1-based replica number ({@code deploy.replicas}).
 */
public enum InstanceNaming {
  /** {@code <project>-<service>-<n>}. */
  PROJECT,
  /** {@code <service><n>}, as singularity-compose 0.1.19. */
  REFERENCE,
  /**
   * {@code <project>.<service>}, then {@code .<n>} from the second replica on, as
   * singularity-stack.
   */
  STACK;

  /** The name of replica {@code replica} (1-based) of {@code service} in {@code project}. */
  public String name(String project, String service, int replica) {
    if (replica < 1) {
      throw new IllegalArgumentException("replica " + replica + " is not 1 or more");
    }
    return switch (this) {
      case PROJECT -> project + "-" + service + "-" + replica;
      case REFERENCE -> service + replica;
      case STACK -> project + "." + service + (replica == 1 ? "" : "." + replica);
    };
  }
}
