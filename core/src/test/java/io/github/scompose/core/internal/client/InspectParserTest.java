package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.ImageInspection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InspectParserTest {

  /** Recorded from SingularityCE 3.4.2 (08-inspect-errors.txt, {@code inspect --json}). */
  static final String RECORDED =
      "{\n\t\"attributes\": {\n\t\t\"apps\": \"\",\n\t\t\"labels\": {\n"
          + "\t\t\t\"org.label-schema.build-date\": \"Saturday_21_November_2026_16:8:7_UTC\",\n"
          + "\t\t\t\"org.label-schema.schema-version\": \"1.0\",\n"
          + "\t\t\t\"org.label-schema.usage.singularity.deffile.bootstrap\": \"localimage\",\n"
          + "\t\t\t\"org.label-schema.usage.singularity.deffile.from\": \"/images/busybox.sif\",\n"
          + "\t\t\t\"org.label-schema.usage.singularity.version\": \"3.4.2\"\n"
          + "\t\t}\n\t},\n\t\"type\": \"container\"\n}\n";

  @Test
  void recordedInspectJson() {
    ImageInspection i = InspectParser.parse(RECORDED);
    assertEquals(5, i.labels().size());
    assertEquals("3.4.2", i.labels().get("org.label-schema.usage.singularity.version"));
    assertEquals("1.0", i.labels().get("org.label-schema.schema-version"));
    assertEquals(List.of(), i.apps());
    assertEquals(Optional.empty(), i.runscript());
  }

  @Test
  void runscriptAppsAndText() {
    ImageInspection i =
        InspectParser.parse(
            "{\"attributes\":{\"runscript\":\"#!/bin/sh\\necho hi\\n\",\"apps\":\"pdf_client,web\"}}");
    assertEquals(Optional.of("#!/bin/sh\necho hi\n"), i.runscript());
    assertEquals(List.of("pdf_client", "web"), i.apps());
    // recorded from 3.4.2: inspect --runscript (text form)
    ImageInspection text = InspectParser.parse("==runscript==\n#!/bin/sh\n");
    assertTrue(text.labels().isEmpty());
    assertEquals("==runscript==\n#!/bin/sh\n", text.output());
  }
}
