package io.github.scompose.core.client;

import io.github.scompose.core.internal.client.SecretMasker;

/**
 * The project's one rule for values that must not be shown, for tools built on the client (pages,
 * logs, reports): the rule the client applies to every argv it logs and every error it raises.
 */
public final class SecretValues {

  /** What a masked value reads as: {@value}. */
  public static final String MASK = SecretMasker.MASK;

  private SecretValues() {}

  /**
   * Whether the value of a variable, label or option named {@code name} is secret: the name
   * contains {@code PASSWORD}, {@code PASSWD}, {@code SECRET}, {@code TOKEN}, {@code KEY} or {@code
   * CREDENTIAL}, in any case (e.g. {@code API_TOKEN}, {@code org.example.secret}).
   */
  public static boolean looksSecret(String name) {
    return SecretMasker.isSecretName(name);
  }

  /** {@code value}, or {@link #MASK} when {@link #looksSecret looksSecret(name)}. */
  public static String shown(String name, String value) {
    return looksSecret(name) ? MASK : value;
  }

  /**
   * {@code text} with secret-looking {@code NAME=value}, {@code --password value}, {@code
   * SINGULARITYENV_X=value} and {@code --env K=V} values replaced by {@link #MASK}, white space
   * kept. {@code null} stays {@code null}.
   */
  public static String maskText(String text) {
    return SecretMasker.maskText(text);
  }
}
