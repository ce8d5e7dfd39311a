package io.github.scompose.testkit;

import io.github.scompose.testkit.internal.HelloNameRunscript;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a fake image's runscript does on {@code run IMAGE ARGS...}: a scripted behaviour in Java
 * (nothing of an image is executed on the host), given the runscript's arguments and the
 * container's environment. Set it with {@link FakeImage.Builder#runscriptBehaviour}; an image
 * without one prints its {@link FakeImage#runscriptStdout()} and exits 0.
 *
 * <p>It is {@link Serializable} because a directory-backed runtime stores its programme for the
 * out-of-process emulator: use a named class (or {@link #helloName()}) whose class is on the
 * emulator's classpath (the launcher's classpath is the creating JVM's). A runscript that should
 * never end answers {@link ScriptedResponse#hang()} (the transport's timeout then fires).
 */
@FunctionalInterface
public interface FakeRunscript extends Serializable {

  /**
   * The answer to {@code run} with {@code args} (the words after the image).
   *
   * @param args the runscript's arguments, as the binary received them
   * @param environment the container's environment (the image's {@code %environment} plus what the
   *     caller injected)
   */
  ScriptedResponse run(List<String> args, Map<String, String> environment);

  /**
   * The {@code hello-name} runscript recorded from SingularityCE 3.4.2 (the singularity-nginx
   * seed's example in POSIX sh, run with labels and runscript arguments): parses {@code --name V},
   * {@code --age V}, {@code --weight V} and the flag {@code --is_dino}, skips any other word, and
   * prints one JSON line, e.g. {@code {"name": "hello Vanessa!", "age": 10, "weight": 10000,
   * "species": "You are a dinosaur! :D"}} — the values inserted unchecked, as the shell script does
   * ({@code "age": ten}); without name, age or weight {@code {"message": "Ruhroh! You did not give
   * any input arguments!"}}. Exit 0.
   */
  static FakeRunscript helloName() {
    return new HelloNameRunscript();
  }
}
