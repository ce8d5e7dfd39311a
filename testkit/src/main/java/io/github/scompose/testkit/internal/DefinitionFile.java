package io.github.scompose.testkit.internal;

import io.github.scompose.testkit.FakeImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the parts of a Singularity definition file the fake {@code build} keeps: {@code %labels}
 * ({@code KEY VALUE} lines), {@code %environment} ({@code [export] K=V} lines), {@code %runscript}
 * and {@code %startscript} text. Section names per the {@code build --help} text of SingularityCE
 * 3.4.2. Nothing in it is executed.
 */
final class DefinitionFile {
  private DefinitionFile() {}

  static FakeImage parse(String imagePath, String text) {
    Map<String, StringBuilder> sections = new LinkedHashMap<>();
    String current = "header";
    sections.put(current, new StringBuilder());
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("%") && !trimmed.contains(" ")) {
        current = trimmed.substring(1);
        sections.put(current, new StringBuilder());
        continue;
      }
      sections.get(current).append(line).append('\n');
    }
    FakeImage.Builder image = FakeImage.builder().path(imagePath);
    String from = "";
    for (String line : sections.get("header").toString().split("\n")) {
      String l = line.strip();
      if (l.regionMatches(true, 0, "From:", 0, 5)) {
        from = l.substring(5).strip();
      }
    }
    if (!from.isEmpty()) {
      image.putLabel("org.label-schema.usage.singularity.deffile.from", from);
    }
    if (sections.containsKey("labels")) {
      for (String line : sections.get("labels").toString().split("\n")) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        int space = l.indexOf(' ');
        if (space > 0) {
          image.putLabel(l.substring(0, space), l.substring(space + 1).strip());
        } else {
          image.putLabel(l, "");
        }
      }
    }
    if (sections.containsKey("environment")) {
      for (String line : sections.get("environment").toString().split("\n")) {
        String l = line.strip();
        if (l.startsWith("export ")) {
          l = l.substring(7).strip();
        }
        int eq = l.indexOf('=');
        if (eq > 0 && !l.startsWith("#")) {
          String value = l.substring(eq + 1).strip();
          if (value.length() >= 2
              && (value.startsWith("\"") && value.endsWith("\"")
                  || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
          }
          image.putEnvironment(l.substring(0, eq), value);
        }
      }
    }
    if (sections.containsKey("runscript")) {
      image.runscript("#!/bin/sh\n\n" + sections.get("runscript"));
    }
    if (sections.containsKey("startscript")) {
      image.startscript("#!/bin/sh\n\n" + sections.get("startscript"));
    }
    return image.build();
  }
}
