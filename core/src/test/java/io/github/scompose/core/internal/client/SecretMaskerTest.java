package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotBlank;
import net.jqwik.api.constraints.StringLength;
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

  @Test
  void masksBareSecretAssignmentsInAnArgv() {
    assertEquals(
        List.of(
            "run",
            "img.sif",
            "PASSWORD=***",
            "API_TOKEN=***",
            "db_passwd=***",
            "AWS_SECRET_ACCESS_KEY=***",
            "Credentials.File=***",
            "IP=10.22.0.2",
            "portmap=8080:80/tcp",
            "FOO=bar"),
        SecretMasker.mask(
            List.of(
                "run",
                "img.sif",
                "PASSWORD=hunter2",
                "API_TOKEN=abc",
                "db_passwd=x",
                "AWS_SECRET_ACCESS_KEY=k",
                "Credentials.File=/c",
                "IP=10.22.0.2",
                "portmap=8080:80/tcp",
                "FOO=bar")));
  }

  @Test
  void masksTheWordsOfAFreeText() {
    assertEquals(
        "after-start step failed: migrate --db-password=*** PASSWORD=***  --token ***\n"
            + "  FATAL: '--api-key=***' and \"API_KEY=***\" rejected",
        SecretMasker.maskText(
            "after-start step failed: migrate --db-password=hunter2 PASSWORD=pw  --token t0k\n"
                + "  FATAL: '--api-key=k3y' and \"API_KEY=k3y\" rejected"));
    assertEquals("nothing secret: a=b", SecretMasker.maskText("nothing secret: a=b"));
  }

  @Provide
  Arbitrary<String> secretNames() {
    Arbitrary<String> word =
        Arbitraries.of("PASSWORD", "PASSWD", "SECRET", "TOKEN", "KEY", "CREDENTIAL")
            .flatMap(
                w ->
                    Arbitraries.integers()
                        .between(0, (1 << w.length()) - 1)
                        .map(
                            bits -> {
                              // any mix of upper and lower case
                              StringBuilder b = new StringBuilder();
                              for (int k = 0; k < w.length(); k++) {
                                char c = w.charAt(k);
                                b.append((bits >> k & 1) == 1 ? Character.toLowerCase(c) : c);
                              }
                              return b.toString();
                            }));
    Arbitrary<String> prefix =
        Arbitraries.strings().withChars("ABCXYZabcxyz_").ofMinLength(0).ofMaxLength(6);
    Arbitrary<String> suffix =
        Arbitraries.strings().withChars("ABCXYZabcxyz_0189.").ofMinLength(0).ofMaxLength(6);
    return net.jqwik.api.Combinators.combine(prefix, word, suffix)
        .as((p, w, x) -> (p.isEmpty() || p.matches("[0-9].*") ? "A" + p : p) + w + x);
  }

  @Property(tries = 500)
  void bareSecretAssignmentsNeverKeepTheirValue(
      @ForAll("secretNames") String name,
      @ForAll @NotBlank @StringLength(min = 4, max = 30) String value) {
    // a free text's word ends at white space: values with none (argv words may have any)
    Assume.that(value.matches("\\S+") && !name.contains(value));
    List<String> masked = SecretMasker.mask(List.of("run", "img.sif", name + "=" + value, "x"));
    assertEquals(List.of("run", "img.sif", name + "=***", "x"), masked);
    String text = SecretMasker.maskText("step failed: run img.sif " + name + "=" + value + " x");
    assertFalse(text.contains(value), text);
    assertEquals("step failed: run img.sif " + name + "=*** x", text);
  }

  @Property(tries = 300)
  void otherAssignmentsStayAsTheyAre(
      @ForAll @AlphaChars @NotBlank String name, @ForAll @AlphaChars @NotBlank String value) {
    String upper = name.toUpperCase(java.util.Locale.ROOT);
    Assume.that(
        !upper.contains("PASSWORD")
            && !upper.contains("PASSWD")
            && !upper.contains("SECRET")
            && !upper.contains("TOKEN")
            && !upper.contains("KEY")
            && !upper.contains("CREDENTIAL"));
    List<String> argv = List.of("run", "img.sif", name + "=" + value);
    assertEquals(argv, SecretMasker.mask(argv));
    assertEquals(String.join(" ", argv), SecretMasker.maskText(String.join(" ", argv)));
  }
}
