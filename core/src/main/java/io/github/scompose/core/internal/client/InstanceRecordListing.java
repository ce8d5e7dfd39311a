package io.github.scompose.core.internal.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.scompose.core.client.HostIdentity;
import io.github.scompose.core.client.InstanceInfo;
import io.github.scompose.core.transport.LocalFileTransport;
import io.github.scompose.core.transport.TransportException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance listing read from the binary's own records, as SingularityCE 3.4.2's {@code instance
 * list} makes it (source read: {@code internal/pkg/instance/instance_linux.go} {@code List}): the
 * records are the files {@code <directory>/<folder>/*.json}, in the order of their folder names,
 * each a JSON object whose {@code name}, {@code pid} and {@code image} become an entry; a record
 * deleted between the listing and its read is skipped; a folder without a {@code .json} file or a
 * non-folder entry gives nothing. No process is checked for life (the binary checks none).
 *
 * <p>Everything this reader is not sure of answers empty, so that the caller asks the binary: no
 * directory, an entry whose name is not an instance name ({@code [a-zA-Z0-9._-]+}, the binary's
 * {@code CheckName}), a folder with another {@code .json} file than {@code <folder>.json}, a record
 * that cannot be read or is not an object with exactly-spelt {@code name} (equal to its folder),
 * integer {@code pid} and {@code image} (the binary's Go decoder would also take other spellings,
 * missing fields or trailing text), any I/O error.
 */
public final class InstanceRecordListing {

  private static final Logger LOG = LoggerFactory.getLogger(InstanceRecordListing.class);
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

  private InstanceRecordListing() {}

  /**
   * The instances whose records are in {@code directory} (the binary's {@code
   * <home>/.singularity/instances/sing/<host>/<user>}), in the binary's order, or empty when the
   * binary must be asked (see the type).
   */
  public static Optional<List<InstanceInfo>> read(LocalFileTransport files, String directory) {
    try {
      Optional<List<String>> entries = files.listDirectory(directory);
      if (entries.isEmpty()) {
        return doubt(directory, "no such directory");
      }
      List<String> folders = new ArrayList<>(entries.get());
      folders.sort(null); // instance names are ASCII: the byte order of Go's sorted glob
      List<InstanceInfo> out = new ArrayList<>();
      for (String folder : folders) {
        if (!NAME.matcher(folder).matches()) {
          return doubt(directory, "an entry that is no instance name: " + folder);
        }
        String folderPath = directory + "/" + folder;
        Optional<List<String>> inside = files.listDirectory(folderPath);
        if (inside.isEmpty()) {
          continue; // a file, or a folder gone since: the binary's glob finds nothing in it
        }
        List<String> records = inside.get().stream().filter(n -> n.endsWith(".json")).toList();
        if (records.isEmpty()) {
          continue;
        }
        if (!records.equals(List.of(folder + ".json"))) {
          return doubt(directory, "other records in " + folder + ": " + records);
        }
        Optional<byte[]> content = files.readFile(folderPath + "/" + folder + ".json", 0);
        if (content.isEmpty()) {
          continue; // deleted since the listing: the binary skips it too
        }
        Optional<InstanceInfo> info = parse(content.get());
        if (info.isEmpty() || !info.get().name().equals(folder)) {
          return doubt(directory, "the record of " + folder + " is not one the binary wrote");
        }
        out.add(info.get());
      }
      return Optional.of(List.copyOf(out));
    } catch (TransportException e) {
      return doubt(directory, e.getMessage());
    }
  }

  private static <T> Optional<T> doubt(String directory, String why) {
    LOG.debug("instance records in {} not used, the binary lists: {}", directory, why);
    return Optional.empty();
  }

  /**
   * The entry of one record ({@code {"pid":…,"ppid":…,"name":…,"user":…,"image":…,…}}), or empty
   * when it is not a JSON object with exactly one each of {@code name} (text), {@code pid} (an
   * integer) and {@code image} (text), no other spelling of those keys, and only blanks after it.
   */
  static Optional<InstanceInfo> parse(byte[] record) {
    String name = null;
    String image = null;
    Long pid = null;
    try (JsonParser p = JSON.createParser(record)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          return Optional.empty();
        }
        String key = p.currentName();
        JsonToken value = p.nextToken();
        switch (key) {
          case "name" -> {
            if (name != null || value != JsonToken.VALUE_STRING) {
              return Optional.empty();
            }
            name = p.getText();
          }
          case "image" -> {
            if (image != null || value != JsonToken.VALUE_STRING) {
              return Optional.empty();
            }
            image = p.getText();
          }
          case "pid" -> {
            if (pid != null
                || value != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              return Optional.empty();
            }
            pid = p.getLongValue();
          }
          default -> {
            if (key.equalsIgnoreCase("name")
                || key.equalsIgnoreCase("image")
                || key.equalsIgnoreCase("pid")) {
              return Optional.empty(); // Go matches keys ignoring case: which one wins is a doubt
            }
            p.skipChildren();
          }
        }
      }
      if (p.nextToken() != null) {
        return Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (name == null || image == null || pid == null) {
      return Optional.empty();
    }
    return Optional.of(InstanceInfo.builder().name(name).pid(pid).image(image).build());
  }

  /**
   * Who the binary started by this JVM ({@code LocalProcessTransport}) is when it looks for its
   * records, from the same sources: the passwd entry of the real uid (the JDK's {@code user.home}
   * and {@code user.name} come from getpwuid(3), as the binary's Go {@code user.Current()}), the
   * host name of {@code /proc/sys/kernel/hostname} (Go's {@code os.Hostname()}). Empty when unsure:
   * this JVM in a user namespace ({@code /proc/self/uid_map} not the identity map; the binary then
   * maps the uid back to the host's), {@code SINGULARITY_USER} set (the binary's {@code --user}), a
   * home that is not an absolute path of two characters or more, a user {@code ?} (no passwd
   * entry). Not told apart: a passwd home shorter than two characters, for which JDK 17 updates
   * take {@code $HOME} instead.
   */
  public static Optional<HostIdentity> thisProcessOwner() {
    return processOwner(
        System.getProperty("user.home"),
        System.getProperty("user.name"),
        Path.of("/proc/sys/kernel/hostname"),
        Path.of("/proc/self/uid_map"),
        System.getenv());
  }

  /** {@link #thisProcessOwner()} from the given sources. */
  static Optional<HostIdentity> processOwner(
      String home,
      String user,
      Path hostnameFile,
      Path uidMapFile,
      Map<String, String> environment) {
    if (environment.containsKey("SINGULARITY_USER")
        || home == null
        || home.length() < 2
        || !home.startsWith("/")
        || user == null
        || user.isBlank()
        || user.equals("?")) {
      return Optional.empty();
    }
    try {
      List<String> map =
          Arrays.asList(Files.readString(uidMapFile, StandardCharsets.UTF_8).strip().split("\\s+"));
      if (!map.equals(List.of("0", "0", "4294967295"))) {
        return Optional.empty();
      }
      String host = Files.readString(hostnameFile, StandardCharsets.UTF_8).strip();
      if (host.isEmpty() || host.contains("/")) {
        return Optional.empty();
      }
      return Optional.of(HostIdentity.of(home, host, user));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code program}, found as execvp(3) finds it ({@code PATH} of this JVM when it has no
   * {@code /}), is an ELF executable: the real binary is (a Go program); a script in its place (a
   * wrapper, the testkit's out-of-process emulator) may keep its instances elsewhere.
   */
  public static boolean isElfExecutable(String program) {
    return isElfExecutable(program, System.getenv("PATH"));
  }

  static boolean isElfExecutable(String program, String path) {
    Optional<File> file = Optional.empty();
    if (program.contains("/")) {
      file = Optional.of(new File(program));
    } else if (path != null && !program.isEmpty()) {
      for (String entry : path.split(":", -1)) {
        File candidate = new File(entry.isEmpty() ? "." : entry, program);
        if (candidate.isFile() && candidate.canExecute()) {
          file = Optional.of(candidate);
          break;
        }
      }
    }
    if (file.isEmpty()) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file.get().toPath())) {
      return Arrays.equals(in.readNBytes(4), ELF);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
