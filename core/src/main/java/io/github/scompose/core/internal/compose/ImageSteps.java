package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Build;
import io.github.scompose.core.client.Pull;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.ComposeEvent;
import io.github.scompose.core.compose.ImageStep;
import io.github.scompose.core.errors.SingularityException;
import io.github.scompose.core.transport.FileStamp;
import io.github.scompose.core.transport.Transport;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ImageStep}s that {@code UpPlanner} plans (pull of an {@code image:} URI, build of
 * a {@code build} recipe) for {@code create}, {@code pull}, {@code build} and {@code run}, and asks
 * the runtime's host whether an image is there and how big it is. A step whose destination exists
 * is skipped unless forced (then {@code --force} is passed, which overwrites).
 */
public final class ImageSteps {

  private static final Logger LOG = LoggerFactory.getLogger(ImageSteps.class);

  private final EngineSettings s;
  private final Events events;

  /** Image steps with these settings, reporting to {@code events}. */
  public ImageSteps(EngineSettings settings, Events events) {
    this.s = settings;
    this.events = events;
  }

  /**
   * Whether {@code path} exists on the runtime's host: {@code readFile} from its end; a path that
   * cannot be read that way (a sandbox directory) is asked with {@link Transport#stat}.
   */
  public boolean present(String path) {
    try {
      return s.client().transport().readFile(path, Long.MAX_VALUE).isPresent();
    } catch (RuntimeException e) {
      return size(path).isPresent();
    }
  }

  /**
   * The {@link Transport#stat} of {@code image} on the runtime's host (the fingerprint recorded per
   * instance in the state file); empty, with a debug line, when nothing is there or it cannot be
   * asked, so that a failing look leaves reconcile to the config digest alone.
   */
  public static Optional<FileStamp> stamp(Transport transport, String image) {
    try {
      return transport.stat(image);
    } catch (RuntimeException e) {
      LOG.debug("cannot stat the image {}: {}", image, e.toString());
      return Optional.empty();
    }
  }

  /** Size in bytes of {@code path} ({@link Transport#stat}); empty when unknown. */
  public OptionalLong size(String path) {
    return stamp(s.client().transport(), path)
        .map(f -> OptionalLong.of(f.size()))
        .orElse(OptionalLong.empty());
  }

  /**
   * Gets the image of {@code step}: skipped ({@code IMAGE_READY} "exists") when its destination is
   * present and not {@code force}; else {@code PULLING}/{@code BUILDING}, the command (with {@code
   * --force} when forced), {@code IMAGE_READY}.
   *
   * @return whether the command ran
   * @throws io.github.scompose.core.compose.ComposeOperationException naming the service, the
   *     masked command and its exit code when it failed
   */
  public boolean get(String operation, ImageStep step, boolean force) {
    if (!force && present(step.destination())) {
      events.emit(
          ComposeEvent.Type.IMAGE_READY, step.service(), null, step.destination() + " exists");
      return false;
    }
    SingularityCommand command = forced(step.command(), force);
    boolean pull = announce(events, step, command);
    try {
      s.client().execute(command);
    } catch (SingularityException e) {
      var f =
          OperationFailures.failed(
              s.client(),
              operation,
              step.service(),
              (pull ? "pull" : "build") + " failed",
              command,
              e,
              "");
      events.emit(ComposeEvent.Type.FAILED, step.service(), null, f.getMessage());
      throw f;
    }
    events.emit(ComposeEvent.Type.IMAGE_READY, step.service(), null, step.destination());
    return true;
  }

  /**
   * Emits PULLING or BUILDING for {@code step}, as {@code command} is a pull or a build.
   *
   * @return whether {@code command} is a pull
   */
  static boolean announce(Events events, ImageStep step, SingularityCommand command) {
    boolean pull = command instanceof Pull;
    events.emit(
        pull ? ComposeEvent.Type.PULLING : ComposeEvent.Type.BUILDING,
        step.service(),
        null,
        step.destination());
    return pull;
  }

  private static SingularityCommand forced(SingularityCommand c, boolean force) {
    if (!force) {
      return c;
    }
    if (c instanceof Pull p) {
      return p.withForce(true);
    }
    if (c instanceof Build b) {
      return b.withForce(true);
    }
    return c;
  }
}
