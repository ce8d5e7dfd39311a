package io.github.scompose.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/**
 * The CLI says an I/O failure in words, never as a bare Java exception text: ClusterIT once ended
 * an {@code up} with "scompose: java.nio.file.NoSuchFileException: /tmp/scompose-ssh-…/…".
 */
class IoFailureWordsTest {

  @Test
  void aFailureThatOnlyRepeatsItsCauseNamesTheFileAndWhatWentWrong() {
    assertEquals(
        "/tmp/scompose-ssh-1/c0: no such file or folder",
        ScomposeCommand.inWords(
            new UncheckedIOException(new NoSuchFileException("/tmp/scompose-ssh-1/c0"))));
    assertEquals(
        "/etc/x: permission denied",
        ScomposeCommand.inWords(new UncheckedIOException(new AccessDeniedException("/etc/x"))));
    assertEquals(
        "an input/output error without details",
        ScomposeCommand.inWords(new UncheckedIOException(new IOException())));
  }

  @Test
  void aFailureWithItsOwnMessageKeepsIt() {
    assertEquals(
        "cannot lock /p/.scompose/lock: interrupted while waiting",
        ScomposeCommand.inWords(
            new UncheckedIOException(
                "cannot lock /p/.scompose/lock: interrupted while waiting", new IOException())));
  }
}
