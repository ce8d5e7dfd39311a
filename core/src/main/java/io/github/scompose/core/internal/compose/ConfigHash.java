package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.SingularityClient;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.PlannedInstance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
    return of(client, instance.launch(), instance.start().environment(), instance.afterStart());
  }

  /**
   * The digest of a recorded instance ({@code instances.json}): equal to {@link #of(
   * SingularityClient, PlannedInstance)} of the plan that recorded it.
   */
  public static String of(SingularityClient client, InstanceRecords.Record record) {
    return of(client, record.launch(), record.start().environment(), record.afterStart());
  }

  private static String of(
      SingularityClient client,
      SingularityCommand launch,
      Map<String, String> environment,
      List<AfterStartStep> afterStart) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(String.join("\0", client.dryRun(launch)).getBytes(StandardCharsets.UTF_8));
      new TreeMap<>(environment)
          .forEach((n, v) -> md.update(("\0" + n + "=" + v).getBytes(StandardCharsets.UTF_8)));
      for (AfterStartStep step : afterStart) {
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
