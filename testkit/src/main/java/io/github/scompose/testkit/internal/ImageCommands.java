package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeDialect;
import io.github.scompose.testkit.FakeImage;
import io.github.scompose.testkit.FakeTimeSource;
import io.github.scompose.testkit.internal.Emulator.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code inspect}, {@code pull} and {@code build} of the emulator: image metadata in the real
 * binary's text and JSON forms, and images created as fake SIF files. Thread-safe.
 */
final class ImageCommands extends EmulatorCommands {

  ImageCommands(RuntimeConfig config, InstanceStore store, FakeTimeSource time) {
    super(config, store, time);
  }

  // ---- inspect / pull / build -----------------------------------------------------------------

  Outcome inspect(Out out, Request r) {
    Outcome usage = argumentCount(out, r, 1, 1);
    if (usage != null) {
      return usage;
    }
    String path = r.positionals().get(0);
    Optional<FakeImage> found =
        store.transact(state -> image(state, path, r.invocation().workingDirectory()));
    if (found.isEmpty()) {
      // recorded from SingularityCE 3.4.2 (09-labels-runscript-args.txt): inspect says it its way
      return out.fatal(
              255,
              config.dialect() == FakeDialect.SINGULARITY_CE_3_4
                  ? "container not found: stat " + path + ": no such file or directory"
                  : missingImage(path))
          .outcome();
    }
    FakeImage image = found.get();
    FlagTable.Parsed p = r.parsed();
    boolean runscript = p.has("runscript");
    boolean environment = p.has("environment");
    boolean startscript = p.has("startscript");
    boolean labels = p.has("labels") || !(runscript || environment || startscript);
    if (p.has("json")) {
      Map<String, Object> attributes = new java.util.TreeMap<>();
      if (labels) {
        attributes.put("apps", "");
        attributes.put("labels", new java.util.TreeMap<>(image.labels()));
      }
      if (runscript) {
        attributes.put("runscript", image.runscript());
      }
      if (startscript) {
        attributes.put("startscript", image.startscript());
      }
      if (environment) {
        attributes.put("environment", environmentScript(image));
      }
      Map<String, Object> root = new LinkedHashMap<>();
      if (config.dialect() == FakeDialect.APPTAINER_1) {
        root.put("data", Map.of("attributes", attributes));
      } else {
        root.put("attributes", attributes);
      }
      root.put("type", "container");
      out.stdout.append(GoJson.write(root)).append('\n');
      return out.outcome();
    }
    if (labels) {
      if (p.has("labels") && config.dialect() == FakeDialect.SINGULARITY_CE_3_4) {
        out.stdout.append("==labels==\n"); // recorded from 3.4.2 (09-labels-runscript-args.txt)
      }
      new java.util.TreeMap<>(image.labels())
          .forEach((k, v) -> out.stdout.append(k).append(": ").append(v).append('\n'));
    }
    if (runscript) {
      out.stdout.append("==runscript==\n").append(image.runscript()).append('\n');
    }
    if (startscript) {
      out.stdout.append("==startscript==\n").append(image.startscript()).append('\n');
    }
    if (environment) {
      out.stdout.append("==environment==\n").append(environmentScript(image)).append('\n');
    }
    return out.outcome();
  }

  private static String environmentScript(FakeImage image) {
    StringBuilder text = new StringBuilder("#!/bin/sh\n");
    image
        .environment()
        .forEach((k, v) -> text.append("export ").append(k).append("=\"").append(v).append("\"\n"));
    return text.toString();
  }

  private static final Pattern URI = Pattern.compile("^(library|docker|shub|oras|https?)://(.+)$");

  Outcome pull(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 1, 2);
    if (usage != null) {
      return usage;
    }
    List<String> pos = r.positionals();
    String uri = pos.get(pos.size() - 1);
    Matcher m = URI.matcher(uri);
    if (!m.matches()) {
      return out.fatal(255, "Unsupported transport type: " + uri.split("://")[0]).outcome();
    }
    String output;
    if (pos.size() == 2) {
      output = pos.get(0);
    } else {
      String ref = m.group(2);
      String last = ref.substring(ref.lastIndexOf('/') + 1);
      String tag = "latest";
      int colon = last.indexOf(':');
      if (colon >= 0) {
        tag = last.substring(colon + 1);
        last = last.substring(0, colon);
      }
      output = last + "_" + tag + ".sif";
    }
    String dir = r.parsed().last("dir").orElse(r.invocation().workingDirectory());
    String target = absolute(output, dir);
    return createImage(out, r, target, output, uri, null);
  }

  Outcome build(Out out, Request r) throws InterruptedException {
    Outcome usage = argumentCount(out, r, 2, 2);
    if (usage != null) {
      return usage;
    }
    String output = r.positionals().get(0);
    String spec = r.positionals().get(1);
    String target = absolute(output, r.invocation().workingDirectory());
    FakeImage fromDefinition = null;
    if (!spec.contains("://")) {
      FakeImage base = config.images().get(spec);
      if (base == null) {
        Optional<byte[]> text =
            store.readFile(absolute(spec, r.invocation().workingDirectory()), 0);
        if (text.isEmpty()) {
          return out.fatal(255, "Unable to build from " + spec + ": no such file or directory")
              .outcome();
        }
        fromDefinition =
            DefinitionFile.parse(target, new String(text.get(), StandardCharsets.UTF_8));
      }
    }
    out.info("Starting build...");
    return createImage(out, r, target, output, spec, fromDefinition);
  }

  private Outcome createImage(
      Out out, Request r, String target, String shown, String source, FakeImage definition)
      throws InterruptedException {
    boolean force = r.parsed().has("force");
    Object result =
        store.transact(
            state -> {
              boolean exists =
                  state.createdImages.containsKey(target)
                      || config.images().containsKey(target)
                      || store.exists(target);
              if (exists && !force) {
                return r.command().equals("pull")
                    ? "Image file already exists: \"" + shown + "\" - will not overwrite"
                    : "While performing build: build target '"
                        + shown
                        + "' already exists. Use --force to overwrite";
              }
              FakeImage image = definition;
              if (image == null) {
                FakeImage known = config.images().get(source);
                if (known == null) {
                  known = state.createdImages.get(source);
                }
                image = known == null ? FakeImage.of(target) : known.withPath(target);
              }
              state.createdImages.put(target, image);
              return image;
            });
    if (result instanceof String error) {
      return out.fatal(255, error).outcome();
    }
    store.writeFile(
        target, "fake SIF image written by the scompose testkit emulator: " + source + "\n");
    if (r.command().equals("pull")) {
      out.info("Downloading image " + source);
    } else {
      out.info("Creating SIF file...");
      out.info("Build complete: " + shown);
    }
    return out.outcome();
  }
}
