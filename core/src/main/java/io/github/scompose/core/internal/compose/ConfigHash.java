package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.SingularityClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The state file's {@code config} of an instance: the first 16 hex digits of SHA-256 over its start
 * argv (NUL-separated) and its environment ({@code NUL name=value}, sorted by name) — the same
 * digest {@link UpRun} records, so that an instance made by {@code create}/{@code start} is kept by
 * a later {@code up} when nothing changed. The values never leave the digest.
 */
public final class ConfigHash {

  private ConfigHash() {}

  /** The digest of {@code start} as {@code client} renders it. */
  public static String of(SingularityClient client, InstanceStart start) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(String.join("\0", client.dryRun(start)).getBytes(StandardCharsets.UTF_8));
      new TreeMap<>(start.environment())
          .forEach((n, v) -> md.update(("\0" + n + "=" + v).getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
