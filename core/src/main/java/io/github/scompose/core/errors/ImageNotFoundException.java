package io.github.scompose.core.errors;

/**
 * The image could not be opened because it does not exist: {@code FATAL: could not open image PATH:
 * failed to retrieve path for PATH: lstat PATH: no such file or directory}, exit code 255 (recorded
 * from SingularityCE 3.4.2). The cause is the {@link CommandFailedException}.
 */
public class ImageNotFoundException extends SingularityException {

  private final String image;

  /**
   * @param image the image path or URI as the binary named it
   * @param cause the failed command
   */
  public ImageNotFoundException(String image, CommandFailedException cause) {
    super("image not found: " + image, cause);
    this.image = image;
  }

  /** The image path or URI. */
  public String image() {
    return image;
  }
}
