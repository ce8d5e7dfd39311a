package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.scompose.core.client.InstanceInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class InstanceListParserTest {

  /** Recorded from SingularityCE 3.4.2 (06-env-tmpfs.txt): tab-indented JSON. */
  static final String RECORDED_JSON =
      "{\n\t\"instances\": [\n\t\t{\n\t\t\t\"instance\": \"envtest\",\n\t\t\t\"pid\": 30807,\n"
          + "\t\t\t\"img\": \"/images/svc.sif\"\n\t\t},\n\t\t{\n\t\t\t\"instance\": \"sbx\",\n"
          + "\t\t\t\"pid\": 31064,\n\t\t\t\"img\": \"/images/busybox\"\n\t\t}\n\t]\n}\n";

  /** Recorded from SingularityCE 3.4.2 (01-basic.txt). */
  static final String RECORDED_EMPTY_JSON = "{\n\t\"instances\": []\n}\n";

  /** Recorded from SingularityCE 3.4.2 (04-net2.txt). */
  static final String RECORDED_TABLE =
      "INSTANCE NAME    PID      IMAGE\n"
          + "app              27163    /images/svc.sif\n"
          + "app2             27395    /images/svc.sif\n";

  @Test
  void recordedJson() {
    assertEquals(
        List.of(
            InstanceInfo.of("envtest", 30807, "/images/svc.sif"),
            InstanceInfo.of("sbx", 31064, "/images/busybox")),
        InstanceListParser.parse(RECORDED_JSON));
    assertEquals(List.of(), InstanceListParser.parse(RECORDED_EMPTY_JSON));
  }

  @Test
  void recordedTable() {
    assertEquals(
        List.of(
            InstanceInfo.of("app", 27163, "/images/svc.sif"),
            InstanceInfo.of("app2", 27395, "/images/svc.sif")),
        InstanceListParser.parse(RECORDED_TABLE));
    assertEquals(List.of(), InstanceListParser.parse("INSTANCE NAME    PID      IMAGE\n"));
  }

  @Test
  void apptainerJsonWithIpAndLogPaths() {
    // Apptainer docs: entries also carry ip, logErrPath, logOutPath
    String json =
        """
        {"instances":[{"instance":"web","pid":4242,"img":"/sif/web.sif","ip":"10.22.0.5",
          "logErrPath":"/home/u/.apptainer/instances/logs/h/u/web.err",
          "logOutPath":"/home/u/.apptainer/instances/logs/h/u/web.out"},
          {"instance":"db","pid":4243,"img":"/sif/db.sif","ip":"","logErrPath":"","logOutPath":""}]}
        """;
    assertEquals(
        List.of(
            InstanceInfo.builder()
                .name("web")
                .pid(4242)
                .image("/sif/web.sif")
                .ip("10.22.0.5")
                .logOutPath("/home/u/.apptainer/instances/logs/h/u/web.out")
                .logErrPath("/home/u/.apptainer/instances/logs/h/u/web.err")
                .build(),
            InstanceInfo.of("db", 4243, "/sif/db.sif")),
        InstanceListParser.parse(json));
  }

  @Test
  void apptainerTableWithIpColumn() {
    String table =
        "INSTANCE NAME    PID      IP              IMAGE\n"
            + "web              4242     10.22.0.5       /sif/web.sif\n"
            + "db               4243                     /sif/my db.sif\n";
    assertEquals(
        List.of(
            InstanceInfo.builder()
                .name("web")
                .pid(4242)
                .image("/sif/web.sif")
                .ip("10.22.0.5")
                .build(),
            InstanceInfo.of("db", 4243, "/sif/my db.sif")),
        InstanceListParser.parse(table));
  }

  @Test
  void singularity2TableAndJsonKeys() {
    // Singularity 2.x docs: DAEMON NAME  PID  CONTAINER IMAGE
    String table =
        "DAEMON NAME      PID      CONTAINER IMAGE\n"
            + "test            11963     /home/mibauer/singularity/sinstance/test.img\n";
    assertEquals(
        List.of(InstanceInfo.of("test", 11963, "/home/mibauer/singularity/sinstance/test.img")),
        InstanceListParser.parse(table));
    String json =
        "{\"instances\":[{\"daemon_name\":\"test\",\"pid\":11963,"
            + "\"container_image\":\"/x/test.img\"}]}";
    assertEquals(
        List.of(InstanceInfo.of("test", 11963, "/x/test.img")), InstanceListParser.parse(json));
  }

  @Test
  void badOutputSaysWhatItCouldNotRead() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> InstanceListParser.parse("INSTANCE NAME PID IMAGE\nweb notapid /x.sif\n"));
    assertTrue(e.getMessage().contains("web notapid"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> InstanceListParser.parse("{\"instances\": 3}"));
    assertThrows(IllegalArgumentException.class, () -> InstanceListParser.parse("{ not json"));
    assertThrows(IllegalArgumentException.class, () -> InstanceListParser.parse("garbage"));
  }

  /** Every {@code instance list} output in the recordings, read in place. */
  @Test
  void everyRecordedListingParses() throws IOException {
    String shared = System.getProperty("scompose.shared.dir");
    Path dir = shared == null ? null : Path.of(shared, "reference", "singularityce-3.4.2");
    Assumptions.assumeTrue(
        dir != null && Files.isDirectory(dir),
        "../shared/reference is absent: recorded listings not checked");
    int parsed = 0;
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("0\\d-.*")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (!lines.get(i).startsWith("$ singularity instance list")) {
            continue;
          }
          List<String> out = new ArrayList<>();
          for (int j = i + 1; j < lines.size() && !lines.get(j).startsWith("[exit="); j++) {
            out.add(lines.get(j));
          }
          List<InstanceInfo> infos = InstanceListParser.parse(String.join("\n", out));
          for (InstanceInfo info : infos) {
            assertTrue(info.pid() > 0 && info.image().startsWith("/images/"), info.toString());
          }
          parsed++;
        }
      }
    }
    assertTrue(parsed >= 10, "parsed " + parsed + " recorded listings");
  }

  /** Whatever the binary lists, the JSON form and both table forms read back the same. */
  @Property(tries = 300)
  void jsonAndTablesReadBack(@ForAll("listings") List<InstanceInfo> infos) {
    StringBuilder json = new StringBuilder("{\n\t\"instances\": [");
    StringBuilder table = new StringBuilder("INSTANCE NAME    PID      IMAGE\n");
    StringBuilder ipTable = new StringBuilder("INSTANCE NAME    PID      IP              IMAGE\n");
    for (int k = 0; k < infos.size(); k++) {
      InstanceInfo i = infos.get(k);
      json.append(k == 0 ? "\n" : ",\n")
          .append("\t\t{\"instance\": \"")
          .append(i.name())
          .append("\", \"pid\": ")
          .append(i.pid())
          .append(", \"img\": \"")
          .append(i.image())
          .append("\"")
          .append(i.ip().map(ip -> ", \"ip\": \"" + ip + "\"").orElse(""))
          .append("}");
      table.append(String.format("%-16s %-8d %s%n", i.name(), i.pid(), i.image()));
      ipTable.append(
          String.format("%-16s %-8d %-15s %s%n", i.name(), i.pid(), i.ip().orElse(""), i.image()));
    }
    json.append("\n\t]\n}\n");
    assertEquals(infos, InstanceListParser.parse(json.toString()));
    assertEquals(infos, InstanceListParser.parse(ipTable.toString()));
    assertEquals(
        infos.stream().map(i -> i.withIp(Optional.empty())).toList(),
        InstanceListParser.parse(table.toString()));
  }

  @Provide
  Arbitrary<List<InstanceInfo>> listings() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("0123456789_.-")
            .ofMinLength(1)
            .ofMaxLength(20);
    Arbitrary<String> images =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("/._- 0123456789")
            .ofMaxLength(40)
            .map(x -> "/" + x.strip())
            .filter(x -> !x.endsWith(" "));
    Arbitrary<Optional<String>> ips =
        Arbitraries.integers()
            .between(0, 255)
            .list()
            .ofSize(4)
            .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3))
            .optional();
    Arbitrary<InstanceInfo> info =
        Combinators.combine(names, Arbitraries.longs().between(1, 4_194_304), images, ips)
            .as((n, p, img, ip) -> InstanceInfo.builder().name(n).pid(p).image(img).ip(ip).build());
    return info.list().ofMaxSize(6);
  }
}
