package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotBlank;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

  @Test
  void masksEnvValuesAndSecretOptions() {
    assertEquals(
        List.of(
            "singularity",
            "exec",
            "--env",
            "PASSWORD=***",
            "--env=TOKEN=***",
            "--docker-password",
            "***",
            "--auth-token=***",
            "SINGULARITYENV_X=***",
            "instance://a",
            "printenv",
            "FOO=bar-is-not-an-option"),
        SecretMasker.mask(
            List.of(
                "singularity",
                "exec",
                "--env",
                "PASSWORD=hunter2",
                "--env=TOKEN=abc",
                "--docker-password",
                "pw",
                "--auth-token=t0k",
                "SINGULARITYENV_X=v",
                "instance://a",
                "printenv",
                "FOO=bar-is-not-an-option")));
  }

  @Test
  void leavesOrdinaryArgvAlone() {
    List<String> argv =
        List.of("singularity", "instance", "start", "--network-args", "IP=10.22.0.2", "i.sif", "n");
    assertEquals(argv, SecretMasker.mask(argv));
  }

  @Property(tries = 300)
  void envValuesNeverSurvive(
      @ForAll @AlphaChars @NotBlank String name, @ForAll @NotBlank String value) {
    assertEquals(
        List.of("exec", "--env", name + "=***", "x"),
        SecretMasker.mask(List.of("exec", "--env", name + "=" + value, "x")));
    assertEquals(
        List.of("exec", "--env=" + name + "=***"),
        SecretMasker.mask(List.of("exec", "--env=" + name + "=" + value)));
  }
}
