package io.github.scompose.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests for the forms that the tools the files were written for accept: compose-go's loader
 * tests ({@code loader/tests/*_test.go}: environment, ports, cpus, memory, pids, gpus, deploy) and
 * singularity-compose 0.1.19 (unknown keys ignored, {@code run.args: {}}), and singularity-stack
 * (undeclared named volumes are folders of the project).
 */
class LenientFormsTest {

  private static final ComposeLoader LOADER =
      ComposeLoader.defaults()
          .withEnvironment(Map.of("MEU", "Shadoks"))
          .withProjectDirectory(Path.of("/p"));

  private static ServiceSpec web(String serviceBody) {
    return LOADER
        .loadString("c.yml", "services:\n  web:\n    image: alpine\n" + serviceBody)
        .service("web")
        .orElseThrow();
  }

  private static List<String> warnings(ComposeProject p) {
    return p.warnings().stream().map(Problem::toString).toList();
  }

  // ---- compose-go's lenient forms
  // ----------------------------------------------------------------

  static Stream<Arguments> forms() {
    Function<ServiceSpec, Object> restart = s -> s.restart().orElseThrow().condition();
    Function<ServiceSpec, Object> env = ServiceSpec::environment;
    Function<ServiceSpec, Object> ports =
        s -> s.ports().stream().map(p -> p.toShortForm().orElse(p.toString())).toList();
    Function<ServiceSpec, Object> limits = s -> s.limits().orElseThrow();
    Function<ServiceSpec, Object> gpus = ServiceSpec::gpus;
    Map<String, String> envMap = new LinkedHashMap<>();
    envMap.put("FOO", "1");
    envMap.put("BAR", "2");
    envMap.put("GA", "2.5");
    envMap.put("BU", "");
    envMap.put("MEU", "Shadoks");
    return Stream.of(
        arguments(
            "restart: \"\" is no", "    restart: \"\"\n", restart, RestartPolicy.Condition.NO),
        arguments("restart: (null) is no", "    restart:\n", restart, RestartPolicy.Condition.NO),
        arguments(
            "environment map: numbers, empty, null (unset: left out; set: taken)",
            "    environment:\n      FOO: \"1\"\n      BAR: 2\n      GA: 2.5\n      BU: \"\"\n"
                + "      ZO:\n      MEU:\n",
            env,
            envMap),
        arguments(
            "environment list: KEY alone",
            "    environment:\n      - FOO=1\n      - BAR=2\n      - GA=2.5\n      - BU=\n"
                + "      - ZO\n      - MEU\n",
            env,
            envMap),
        arguments(
            "environment booleans are strings",
            "    environment:\n      FOO: true\n      BAR: false\n",
            env,
            Map.of("FOO", "true", "BAR", "false")),
        arguments(
            "ports: a number, a protocol, a range",
            "    ports:\n      - \"80:8080\"\n      - \"90:8090/udp\"\n      - 8600\n"
                + "      - \"180-182:9080-9082\"\n",
            ports,
            List.of("80:8080", "90:8090/udp", "8600", "180-182:9080-9082")),
        arguments(
            "ports: long form with numbers",
            "    ports:\n      - target: 80\n        published: 8080\n        protocol: tcp\n",
            ports,
            List.of("8080:80")),
        arguments(
            "cpus as a number, mem_limit with a unit, pids_limit as a number",
            "    cpus: 1.5\n    mem_limit: 512m\n    pids_limit: 100\n",
            limits,
            ResourceLimits.builder().cpus(1.5).memoryBytes(512L << 20).pids(100).build()),
        arguments(
            "cpus, memory and pids as strings in deploy.resources.limits",
            "    deploy:\n      resources:\n        limits:\n          cpus: '0.001'\n"
                + "          memory: 50M\n          pids: \"100\"\n",
            limits,
            ResourceLimits.builder().cpus(0.001).memoryBytes(50L << 20).pids(100).build()),
        arguments(
            "mem_limit as plain bytes and as a decimal (go-units)",
            "    mem_limit: 1.5g\n    deploy:\n      resources:\n        limits:\n"
                + "          memory: 1610612736\n",
            limits,
            ResourceLimits.builder().memoryBytes(1610612736L).build()),
        arguments(
            "0 and -1 mean no limit",
            "    cpus: 2\n    mem_limit: -1\n    pids_limit: -1\n    deploy:\n      resources:\n"
                + "        limits:\n          pids: 0\n",
            limits,
            ResourceLimits.builder().cpus(2).build()),
        arguments(
            "cpus: 0 at the service level is not set, so it does not conflict",
            "    cpus: 0\n    deploy:\n      resources:\n        limits:\n          cpus: 2\n",
            limits,
            ResourceLimits.builder().cpus(2).build()),
        arguments("gpus: all", "    gpus: all\n", gpus, List.of(GpuRequest.all())),
        arguments(
            "gpus as a list",
            "    gpus:\n      - driver: nvidia\n      - driver: amd\n        count: 2\n"
                + "        capabilities: [gpu]\n      - device_ids: [\"0\"]\n",
            gpus,
            List.of(
                GpuRequest.builder().driver("nvidia").build(),
                GpuRequest.builder().driver("amd").count(2).addCapabilities("gpu").build(),
                GpuRequest.builder().addDeviceIds("0").build())),
        arguments(
            "reservations.devices with capability gpu",
            "    deploy:\n      resources:\n        reservations:\n          devices:\n"
                + "            - driver: nvidia\n              count: all\n"
                + "              capabilities: [gpu, utility]\n",
            gpus,
            List.of(
                GpuRequest.builder().driver("nvidia").addCapabilities("gpu", "utility").build())),
        arguments(
            "durations in days and weeks (go-str2duration)",
            "    stop_grace_period: 1d\n",
            (Function<ServiceSpec, Object>) s -> s.stopGracePeriod().orElseThrow(),
            Duration.ofDays(1)),
        arguments(
            "a YAML 1.1 boolean (compose-go casts it)",
            "    volumes:\n      - type: bind\n        source: ./data\n        target: /data\n"
                + "        read_only: yes\n",
            (Function<ServiceSpec, Object>) s -> s.volumes().get(0).readOnly(),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void acceptsTheFormsComposeGoAccepts(
      String name, String body, Function<ServiceSpec, Object> read, Object expected) {
    assertEquals(expected, read.apply(web(body)));
  }

  @Test
  void aYaml11BooleanIsWarnedAbout() {
    ComposeProject p =
        LOADER.loadString(
            "c.yml",
            "services:\n  web:\n    image: alpine\n    volumes:\n      - type: bind\n"
                + "        source: ./data\n        target: /data\n        read_only: yes\n");
    assertEquals(
        List.of(
            "c.yml:8:20: services.web.volumes[0].read_only: \"yes\" read as true (a YAML 1.1"
                + " boolean); write true (YAML 1.2)"),
        warnings(p));
  }

  @Test
  void distinctValuesForOneLimitAreAnError() {
    ComposeException e =
        assertThrows(
            ComposeException.class,
            () ->
                LOADER.loadString(
                    "c.yml",
                    "services:\n  web:\n    image: alpine\n    cpus: 1\n    deploy:\n"
                        + "      resources:\n        limits:\n          cpus: 2\n"));
    assertEquals(
        List.of(
            "c.yml:8:17: services.web.deploy.resources.limits.cpus: distinct values for the same"
                + " limit: cpus is 1 but deploy.resources.limits.cpus is 2; give one of them, or"
                + " the same value"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void deviceRequestsFollowComposeGosRules() {
    ComposeException e =
        assertThrows(
            ComposeException.class,
            () ->
                LOADER.loadString(
                    "c.yml",
                    "services:\n  web:\n    image: alpine\n    deploy:\n      resources:\n"
                        + "        reservations:\n          devices:\n"
                        + "            - driver: nvidia\n              count: 2\n"
                        + "            - capabilities: [gpu]\n              count: 2\n"
                        + "              device_ids: [\"a\"]\n"
                        + "            - capabilities: [gpu]\n              count: some_string\n"));
    assertEquals(
        List.of(
            "c.yml:8:15: services.web.deploy.resources.reservations.devices[0]: a device request"
                + " needs \"capabilities\" (e.g. [gpu])",
            "c.yml:12:15: services.web.deploy.resources.reservations.devices[1].device_ids:"
                + " \"count\" and \"device_ids\" exclude each other; give one of them",
            "c.yml:14:22: services.web.deploy.resources.reservations.devices[2].count: count"
                + " \"some_string\" is not \"all\" or a whole number"),
        e.errors().stream().map(Problem::toString).toList());
  }

  @Test
  void aNumericVolumeNameIsAName() {
    ComposeProject p =
        LOADER.loadString(
            "c.yml",
            "services:\n  foo:\n    image: busybox\n    volumes:\n      - 0:/foo\n"
                + "volumes:\n  '0': {}\n");
    VolumeMount v = p.service("foo").orElseThrow().volumes().get(0);
    assertEquals(VolumeMount.Type.VOLUME, v.type());
    assertEquals("0", v.source().orElseThrow());
  }

  @Test
  void reservationsThatAreNotGpusAreWarnedAbout() {
    ComposeProject p =
        LOADER.loadString(
            "c.yml",
            "services:\n  web:\n    image: alpine\n    deploy:\n      resources:\n"
                + "        reservations:\n          memory: 20M\n          devices:\n"
                + "            - capabilities: [tpu]\n");
    assertTrue(p.service("web").orElseThrow().gpus().isEmpty());
    assertEquals(
        List.of(
            "c.yml:7:11: services.web.deploy.resources.reservations.memory: \"reservations.memory\""
                + " cannot be honoured on Singularity (nothing is reserved); ignored",
            "c.yml:9:15: services.web.deploy.resources.reservations.devices[0]: a device with"
                + " capabilities [tpu] cannot be honoured on Singularity (only GPUs: capabilities"
                + " [gpu]); ignored"),
        warnings(p));
  }

  @Test
  void resourcesAndGpusRenderAndLoadBackEqual() {
    ComposeProject p =
        LOADER.loadString(
            "c.yml",
            "services:\n  web:\n    image: alpine\n    cpus: '1.5'\n    mem_limit: 1g\n"
                + "    pids_limit: 64\n    gpus:\n      - driver: amd\n        count: 1\n"
                + "  db:\n    image: pg\n    gpus: all\n");
    assertEquals(p, LOADER.loadString("c.yml", p.render()));
  }

  // ---- singularity-compose: unknown keys are warnings
  // ---------------------------------------------

  @Test
  void unknownSingularityComposeKeysAreWarningsWithTheNearestKey() {
    ComposeProject p =
        LOADER.loadString(
            "sc.yml",
            "version: \"2.0\"\nx-note: kept\nnetworks: {}\ninstances:\n  web:\n    name: web\n"
                + "    image: web.sif\n    options:\n      - fakeroot\n    network:\n"
                + "      options: [x]\n      enabel: false\n    start:\n      optons: [nv]\n"
                + "    valumes: []\n");
    assertEquals(List.of("web"), p.services().stream().map(ServiceSpec::name).toList());
    assertEquals(
        List.of(
            "sc.yml:3:1: networks: unknown key \"networks\" in a singularity-compose file (ignored);"
                + " expected one of version, instances",
            "sc.yml:6:5: instances.web.name: unknown key \"name\" in instance \"web\" (ignored);"
                + " expected one of image, build, volumes, volumes_from, ports, depends_on,"
                + " network, start, exec, run, post, deploy, command",
            "sc.yml:8:5: instances.web.options: unknown key \"options\" in instance \"web\""
                + " (ignored); expected one of image, build, volumes, volumes_from, ports,"
                + " depends_on, network, start, exec, run, post, deploy, command",
            "sc.yml:15:5: instances.web.valumes: unknown key \"valumes\" in instance \"web\""
                + " (ignored); did you mean \"volumes\"?",
            "sc.yml:11:7: instances.web.network.options: unknown key \"options\" in network"
                + " (ignored); expected one of enable, allocate_ip, type",
            "sc.yml:12:7: instances.web.network.enabel: unknown key \"enabel\" in network"
                + " (ignored); did you mean \"enable\"?",
            "sc.yml:14:7: instances.web.start.optons: unknown key \"optons\" in start (ignored);"
                + " did you mean \"options\"?"),
        warnings(p));
    assertTrue(p.service("web").orElseThrow().network().orElseThrow().enable());
  }

  @Test
  void anEmptyArgsMappingIsNoArguments() {
    ComposeProject p =
        LOADER.loadString(
            "sc.yml",
            "version: \"2.0\"\ninstances:\n  rag:\n    image: rag.sif\n    run:\n      args: {}\n");
    assertEquals(List.of(), p.service("rag").orElseThrow().run().orElseThrow().args());
    assertEquals(
        List.of(
            "sc.yml:6:13: instances.rag.run.args: an empty mapping is read as no arguments;"
                + " write a string or a list of strings"),
        warnings(p));
  }

  // ---- singularity-stack: undeclared named volumes
  // --------------------------------------------------

  /** The shape of singularity-stack's example: two services sharing {@code ./tmp}. */
  static final String STACK_EXAMPLE =
      "version: \"3\"\nservices:\n  mongo:\n    image: mongo:4\n    volumes:\n"
          + "      - tmp:/data/db\n  mysql:\n    image: mysql:5.7\n    environment:\n"
          + "      MYSQL_ROOT_PASSWORD: example\n    volumes:\n      - tmp:/var/lib/mysql\n";

  @Test
  void anUndeclaredNamedVolumeIsTheFolderOfThatNameInTheProject(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("docker-compose.yml");
    Files.writeString(file, STACK_EXAMPLE);
    ComposeProject p = ComposeLoader.defaults().withEnvironment(Map.of()).load(file);
    String tmp = dir.resolve("tmp").toString();
    for (String service : List.of("mongo", "mysql")) {
      VolumeMount v = p.service(service).orElseThrow().volumes().get(0);
      assertEquals(VolumeMount.Type.BIND, v.type());
      assertEquals(tmp, v.source().orElseThrow());
      assertTrue(v.createHostPath(), "created at up when missing");
    }
    assertEquals(
        List.of(
            file
                + ":6:9: services.mongo.volumes[0]: volume \"tmp\" is not defined under the"
                + " top-level volumes; bound from the folder "
                + tmp
                + " (created at up if"
                + " missing), as singularity-stack does (docker compose rejects it)",
            file
                + ":12:9: services.mysql.volumes[0]: volume \"tmp\" is not defined under the"
                + " top-level volumes; bound from the folder "
                + tmp
                + " (created at up if"
                + " missing), as singularity-stack does (docker compose rejects it)"),
        warnings(p).stream().filter(w -> w.contains("volume \"tmp\"")).toList());
    assertFalse(Files.exists(dir.resolve("tmp")), "loading creates nothing");
  }

  @Test
  void aDeclaredNamedVolumeStaysAVolume() {
    ComposeProject p =
        LOADER.loadString(
            "c.yml",
            "services:\n  db:\n    image: pg\n    volumes:\n      - tmp:/data\nvolumes:\n  tmp:\n");
    assertEquals(VolumeMount.Type.VOLUME, p.service("db").orElseThrow().volumes().get(0).type());
  }
}
