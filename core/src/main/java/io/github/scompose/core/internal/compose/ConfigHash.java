package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.PlannedInstance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The state file's {@code config} of an instance, the one digest that {@code up} (reconcile: equal
 * digest and running → kept), {@code create} and {@code start} record: the first 16 hex digits of
 * SHA-256 over what makes the instance — its launch argv ({@code instance start}, or {@code
 * instance run} for an image converted from Docker; NUL-separated), its environment ({@code NUL
 * name=value}, sorted by name), and the argv of each step run in it once started (the background
 * {@code run} that launches a Docker image's command, the spec 2.0 {@code exec}/{@code run}), so
 * that a changed {@code command} of such a service recreates it. The values never leave the digest.
 */
public final class ConfigHash {

  private ConfigHash() {}

  /** The digest of {@code instance} as {@code client} renders it. */
  public static String of(SingularityClient client, PlannedInstance instance) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          String.join("\0", client.dryRun(instance.launch())).getBytes(StandardCharsets.UTF_8));
      new TreeMap<>(instance.start().environment())
          .forEach((n, v) -> md.update(("\0" + n + "=" + v).getBytes(StandardCharsets.UTF_8)));
      for (AfterStartStep step : instance.afterStart()) {
        md.update(
            ("\0\0" + (step.background() ? "background" : "wait") + "\0")
                .getBytes(StandardCharsets.UTF_8));
        md.update(
            String.join("\0", client.dryRun(step.command())).getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
