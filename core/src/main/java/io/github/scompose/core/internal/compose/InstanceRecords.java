package io.github.scompose.core.internal.compose;

import io.github.scompose.core.client.Bind;
import io.github.scompose.core.client.ContainerSettings;
import io.github.scompose.core.client.Exec;
import io.github.scompose.core.client.InstanceRun;
import io.github.scompose.core.client.InstanceStart;
import io.github.scompose.core.client.Run;
import io.github.scompose.core.client.SingularityCommand;
import io.github.scompose.core.compose.AfterStartStep;
import io.github.scompose.core.compose.DependencyWait;
import io.github.scompose.core.compose.PlannedInstance;
import io.github.scompose.core.compose.UpPlan;
import io.github.scompose.spec.DependsOn;
import io.github.scompose.spec.Healthcheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.JsonSchema;

/**
 * {@code <state directory>/instances.json}: what {@code start}, {@code restart} and {@code run}
 * need to start a project's instances again from another process — each instance's full {@link
 * InstanceStart} (so addresses, binds and options stay those of {@code up}), whether the user
 * stopped it (restart policies leave it alone then), and the planned hosts/resolver files.
 *
 * <p>The starts include the instances' environment values (the Compose {@code environment} and
 * {@code env_file} values), so the file is written owner-only ({@code 0600}) where the file system
 * has POSIX permissions, through a temporary sibling and an atomic rename. {@code down} deletes it.
 * Secrets ({@code secrets:}) are files bound at {@code /run/secrets}: only their paths are kept.
 */
public final class InstanceRecords {

  /** File name: {@code instances.json}. */
  public static final String NAME = "instances.json";

  /** Current format version. */
  public static final int FORMAT = 1;

  /**
   * One instance.
   *
   * @param service the service
   * @param name the instance
   * @param replica replica number
   * @param level dependency level
   * @param start its start command, as {@code up} planned it
   * @param afterStart the steps run once it started: the background {@code run}/{@code exec} that
   *     launches an image converted from Docker, then the spec 2.0 {@code exec}/{@code run} steps
   *     (every field of each command is kept)
   * @param stopped stopped by the user ({@code stop}, or created and never started): restart
   *     policies leave it alone until {@code start}
   * @param runscriptInstance launched with {@code instance run} of {@code start}'s settings ({@link
   *     io.github.scompose.core.compose.PlannedInstance#runscriptInstance()})
   * @param oneOff a {@code service_completed_successfully} dependency that {@code up} runs once
   *     ({@link io.github.scompose.core.compose.PlannedInstance#oneOff()}): never started, stopped
   *     or restarted as an instance; its record gives {@code run} the service's settings
   * @param waits what it waits for before it starts ({@link
   *     io.github.scompose.core.compose.PlannedInstance#waits()}): {@code start} waits for its
   *     {@code service_healthy} dependencies as {@code up} does; empty in files written before they
   *     were recorded
   * @param healthcheck its service's healthcheck ({@link
   *     io.github.scompose.core.compose.PlannedInstance#healthcheck()}), run by {@code start} when
   *     an instance waits for this one to be healthy; empty in files written before it was recorded
   * @param stop its service's {@code stop_signal} and {@code stop_grace_period}, used by every stop
   *     ({@link StopSettings#DEFAULT} in files written before they were recorded)
   */
  public record Record(
      String service,
      String name,
      int replica,
      int level,
      InstanceStart start,
      List<AfterStartStep> afterStart,
      boolean stopped,
      boolean runscriptInstance,
      boolean oneOff,
      List<DependencyWait> waits,
      Optional<Healthcheck> healthcheck,
      StopSettings stop) {

    /** A record; its lists are copied (records read back are shared, {@link ParsedFiles}). */
    public Record {
      afterStart = List.copyOf(afterStart);
      waits = List.copyOf(waits);
    }

    /** A record with {@link StopSettings#DEFAULT}. */
    public Record(
        String service,
        String name,
        int replica,
        int level,
        InstanceStart start,
        List<AfterStartStep> afterStart,
        boolean stopped,
        boolean runscriptInstance,
        boolean oneOff,
        List<DependencyWait> waits,
        Optional<Healthcheck> healthcheck) {
      this(
          service,
          name,
          replica,
          level,
          start,
          afterStart,
          stopped,
          runscriptInstance,
          oneOff,
          waits,
          healthcheck,
          StopSettings.DEFAULT);
    }

    /** A record without dependency waits or healthcheck. */
    public Record(
        String service,
        String name,
        int replica,
        int level,
        InstanceStart start,
        List<AfterStartStep> afterStart,
        boolean stopped,
        boolean runscriptInstance,
        boolean oneOff) {
      this(
          service,
          name,
          replica,
          level,
          start,
          afterStart,
          stopped,
          runscriptInstance,
          oneOff,
          List.of(),
          Optional.empty());
    }

    /** A record of an instance launched with {@code instance start}, not a one-off. */
    public Record(
        String service,
        String name,
        int replica,
        int level,
        InstanceStart start,
        List<AfterStartStep> afterStart,
        boolean stopped) {
      this(service, name, replica, level, start, afterStart, stopped, false, false);
    }

    /** This record with {@code stopped} set. */
    public Record withStopped(boolean value) {
      return new Record(
          service,
          name,
          replica,
          level,
          start,
          afterStart,
          value,
          runscriptInstance,
          oneOff,
          waits,
          healthcheck,
          stop);
    }

    /**
     * What starts the instance, as {@code up} did: {@link #start()}, or its {@code instance run}
     * when {@link #runscriptInstance()}.
     */
    public SingularityCommand launch() {
      return runscriptInstance ? InstanceRun.of(start) : start;
    }
  }

  /**
   * The file's content.
   *
   * @param instances the instances, in start order
   * @param files state-directory files (hosts, resolver) by file name
   * @param hostPathDirectories the bind sources that {@code up} creates as directories when missing
   *     ({@link UpPlan#hostPathDirectories()}: Compose {@code bind.create_host_path}, implied by
   *     the short syntax), so that {@code start} creates them too; empty in files written before
   *     they were recorded
   */
  public record Content(
      List<Record> instances, Map<String, String> files, List<String> hostPathDirectories) {

    /** A content without host-path directories. */
    public Content(List<Record> instances, Map<String, String> files) {
      this(instances, files, List.of());
    }

    /** The record of {@code name}. */
    public Optional<Record> record(String name) {
      return instances.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Names of the instances the user stopped. */
    public Set<String> stopped() {
      Set<String> out = new LinkedHashSet<>();
      instances.stream().filter(Record::stopped).forEach(r -> out.add(r.name()));
      return out;
    }

    /**
     * This content plus the records of {@code names} from {@code old} that it does not have, and
     * the files of {@code old} it does not have (its own files win).
     */
    public Content keeping(Optional<Content> old, Set<String> names) {
      if (old.isEmpty()) {
        return this;
      }
      List<Record> out = new ArrayList<>(instances);
      Set<String> mine = new LinkedHashSet<>();
      instances.forEach(r -> mine.add(r.name()));
      old.get().instances().stream()
          .filter(r -> names.contains(r.name()) && !mine.contains(r.name()))
          .forEach(out::add);
      Map<String, String> f = new LinkedHashMap<>(old.get().files());
      f.putAll(files);
      Set<String> dirs = new LinkedHashSet<>(hostPathDirectories);
      dirs.addAll(old.get().hostPathDirectories());
      return new Content(List.copyOf(out), f, List.copyOf(dirs));
    }

    /** This content with {@code stopped} set on the instances named. */
    public Content withStopped(Set<String> names, boolean value) {
      List<Record> out = new ArrayList<>();
      for (Record r : instances) {
        out.add(names.contains(r.name()) ? r.withStopped(value) : r);
      }
      return new Content(List.copyOf(out), files, hostPathDirectories);
    }
  }

  private InstanceRecords() {}

  /**
   * The records of {@code plan}'s instances (their start commands, steps, waits and healthchecks)
   * and its hosts/resolver files.
   *
   * @param stopped the stopped mark of every record ({@code create} records them stopped)
   */
  public static Content ofPlan(UpPlan plan, boolean stopped) {
    List<Record> records = new ArrayList<>();
    for (PlannedInstance i : plan.instances()) {
      records.add(
          new Record(
              i.service(),
              i.name(),
              i.replica(),
              i.level(),
              i.start(),
              i.afterStart(),
              stopped,
              i.runscriptInstance(),
              i.oneOff().isPresent(),
              i.waits(),
              i.healthcheck(),
              StopSettings.of(i)));
    }
    Map<String, String> files = new LinkedHashMap<>();
    plan.files().forEach(f -> files.put(f.fileName(), f.content()));
    return new Content(
        List.copyOf(records),
        files,
        plan.hostPathDirectories().stream().map(Path::toString).toList());
  }

  /** The records file of a state directory. */
  public static Path in(Path stateDirectory) {
    return stateDirectory.resolve(NAME);
  }

  /**
   * The stop settings of each recorded instance in {@code stateDirectory}; empty when there are no
   * records, or they cannot be read (then every stop uses {@link StopSettings#DEFAULT}: a stop must
   * not fail on a damaged records file).
   */
  public static Map<String, StopSettings> stopSettings(Path stateDirectory) {
    Map<String, StopSettings> out = new java.util.HashMap<>();
    try {
      read(stateDirectory).ifPresent(c -> c.instances().forEach(r -> out.put(r.name(), r.stop())));
    } catch (io.github.scompose.core.compose.DamagedStateException | UncheckedIOException e) {
      return Map.of();
    }
    return out;
  }

  /**
   * The records in {@code stateDirectory}, or empty when there are none.
   *
   * @throws io.github.scompose.core.compose.DamagedStateException naming the file when it is not
   *     UTF-8, not JSON (line and column), or not a records file of this format; the message never
   *     quotes the content (it holds environment values)
   * @throws UncheckedIOException when it cannot be read
   */
  public static Optional<Content> read(Path stateDirectory) {
    return ParsedFiles.read(in(stateDirectory), Content.class, InstanceRecords::readFresh);
  }

  /** {@link #read} of {@code file}, from the file itself. */
  private static Optional<Content> readFresh(Path file) {
    Optional<String> text = StateFile.text(file);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(text.get()));
    } catch (RuntimeException e) {
      // never quote the content, nor keep a cause that does (the YAML parser's messages quote the
      // offending line): it holds environment values. File, line and column only.
      throw StateFile.damaged(file, "an instances file", text.get(), e);
    }
  }

  /**
   * Writes {@code content} owner-only ({@code 0600}) and atomically through {@link
   * StateFile#writeAtomically(Path, String)} (a uniquely named temporary sibling, forced to disk,
   * renamed over the file), creating the folder {@code 0700} when missing.
   *
   * @throws UncheckedIOException naming the file
   */
  public static synchronized void write(Path stateDirectory, Content content) {
    StateFile.writeAtomically(in(stateDirectory), render(content));
  }

  /** Deletes the records file when present. */
  public static void delete(Path stateDirectory) {
    ParsedFiles.forget(in(stateDirectory));
    try {
      Files.deleteIfExists(in(stateDirectory));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + in(stateDirectory), e);
    }
  }

  // ---- JSON -------------------------------------------------------------------------------------

  static String render(Content c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    List<Object> list = new ArrayList<>();
    for (Record r : c.instances()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", r.service());
      m.put("name", r.name());
      m.put("replica", r.replica());
      m.put("level", r.level());
      m.put("stopped", r.stopped());
      m.put("runscriptInstance", r.runscriptInstance());
      m.put("oneOff", r.oneOff());
      m.put("start", startToJson(r.start()));
      List<Object> steps = new ArrayList<>();
      r.afterStart().forEach(a -> steps.add(stepToJson(a)));
      m.put("afterStart", steps);
      List<Object> waits = new ArrayList<>();
      r.waits().forEach(w -> waits.add(waitToJson(w)));
      m.put("waits", waits);
      r.healthcheck().ifPresent(h -> m.put("healthcheck", healthcheckToJson(h)));
      r.stop().signal().ifPresent(x -> m.put("stopSignal", x));
      r.stop().gracePeriod().ifPresent(d -> m.put("stopGracePeriod", d.toString()));
      list.add(m);
    }
    root.put("instances", list);
    root.put("files", c.files());
    root.put("hostPathDirectories", c.hostPathDirectories());
    StringBuilder b = new StringBuilder();
    JsonRendering.write(b, root);
    return b.append('\n').toString();
  }

  static Content parse(String text) {
    Object root =
        new Load(LoadSettings.builder().setSchema(new JsonSchema()).build()).loadFromString(text);
    if (!(root instanceof Map<?, ?> m)) {
      throw new StateFile.ShapeProblem("not a JSON object");
    }
    StateFile.requireFormat(m, FORMAT);
    if (!(m.get("instances") instanceof List<?> instances)) {
      throw new StateFile.ShapeProblem("missing key \"instances\"");
    }
    List<Record> records = new ArrayList<>();
    for (Object o : instances) {
      Map<?, ?> e = (Map<?, ?>) o;
      records.add(
          new Record(
              (String) e.get("service"),
              (String) e.get("name"),
              ((Number) e.get("replica")).intValue(),
              ((Number) e.get("level")).intValue(),
              startFromJson((Map<?, ?>) e.get("start")),
              steps(e.get("afterStart")),
              flag(e, "stopped"),
              flag(e, "runscriptInstance"),
              flag(e, "oneOff"),
              waits(e.get("waits")),
              e.get("healthcheck") instanceof Map<?, ?> h
                  ? Optional.of(healthcheckFromJson(h))
                  : Optional.empty(),
              new StopSettings(
                  e.get("stopSignal") instanceof String x ? Optional.of(x) : Optional.empty(),
                  e.get("stopGracePeriod") instanceof String d
                      ? Optional.of(java.time.Duration.parse(d))
                      : Optional.empty())));
    }
    Map<String, String> files = new LinkedHashMap<>();
    if (m.get("files") instanceof Map<?, ?> f) {
      f.forEach((k, v) -> files.put(k.toString(), v.toString()));
    }
    List<String> dirs = new ArrayList<>();
    if (m.get("hostPathDirectories") instanceof List<?> d) {
      d.forEach(x -> dirs.add(x.toString()));
    }
    return new Content(List.copyOf(records), Map.copyOf(files), List.copyOf(dirs));
  }

  /** Every field of an {@link InstanceStart}, environment included. */
  static Map<String, Object> startToJson(InstanceStart s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("image", s.image());
    m.put("name", s.name());
    m.put("args", s.args());
    settingsToJson(s, m);
    return m;
  }

  static InstanceStart startFromJson(Map<?, ?> m) {
    // the settings first: copying from the placeholder start also copies its image and name
    return InstanceStart.builder()
        .from(settingsFromJson(m))
        .image((String) m.get("image"))
        .name((String) m.get("name"))
        .args(strings(m.get("args")))
        .build();
  }

  /** Every {@link ContainerSettings} field, environment included, into {@code m}. */
  private static void settingsToJson(ContainerSettings s, Map<String, Object> m) {
    List<Object> binds = new ArrayList<>();
    for (Bind b : s.binds()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("source", b.source());
      b.destination().ifPresent(d -> x.put("destination", d));
      x.put("readOnly", b.readOnly());
      binds.add(x);
    }
    m.put("binds", binds);
    m.put("environment", s.environment());
    s.envFile().ifPresent(v -> m.put("envFile", v));
    s.hostname().ifPresent(v -> m.put("hostname", v));
    s.network().ifPresent(v -> m.put("network", v));
    s.home().ifPresent(v -> m.put("home", v));
    s.pwd().ifPresent(v -> m.put("pwd", v));
    m.put("networkArgs", s.networkArgs());
    m.put("overlays", s.overlays());
    m.put("scratch", s.scratch());
    m.put("options", s.options());
    m.put("net", s.net());
    m.put("fakeroot", s.fakeroot());
    m.put("contain", s.contain());
    m.put("containall", s.containall());
    m.put("cleanenv", s.cleanenv());
    m.put("nv", s.nv());
    m.put("rocm", s.rocm());
    m.put("writableTmpfs", s.writableTmpfs());
    s.cpus().ifPresent(v -> m.put("cpus", v));
    s.memory().ifPresent(v -> m.put("memory", v));
    s.pidsLimit().ifPresent(v -> m.put("pidsLimit", v));
    s.applyCgroups().ifPresent(v -> m.put("applyCgroups", v));
  }

  /**
   * The {@link ContainerSettings} of {@code m}, as an {@link InstanceStart} placeholder (image and
   * name {@code -}) to copy the settings from with a builder's {@code from(ContainerSettings)}.
   */
  private static ContainerSettings settingsFromJson(Map<?, ?> m) {
    InstanceStart.Builder b = InstanceStart.builder().image("-").name("-");
    Object bindList = m.get("binds");
    if (bindList instanceof List<?> list) {
      for (Object o : list) {
        Map<?, ?> x = (Map<?, ?>) o;
        Bind.Builder bind =
            Bind.builder()
                .source((String) x.get("source"))
                .readOnly(Boolean.TRUE.equals(x.get("readOnly")));
        if (x.get("destination") != null) {
          bind.destination((String) x.get("destination"));
        }
        b.addBind(bind.build());
      }
    }
    if (m.get("environment") instanceof Map<?, ?> env) {
      env.forEach((k, v) -> b.putEnvironment(k.toString(), v == null ? "" : v.toString()));
    }
    text(m, "envFile").ifPresent(b::envFile);
    text(m, "hostname").ifPresent(b::hostname);
    text(m, "network").ifPresent(b::network);
    text(m, "home").ifPresent(b::home);
    text(m, "pwd").ifPresent(b::pwd);
    b.addAllNetworkArgs(strings(m.get("networkArgs")));
    b.addAllOverlays(strings(m.get("overlays")));
    b.addAllScratch(strings(m.get("scratch")));
    b.addAllOptions(strings(m.get("options")));
    if (m.get("cpus") instanceof Number n) {
      b.cpus(n.doubleValue());
    }
    if (m.get("memory") instanceof Number n) {
      b.memory(n.longValue());
    }
    if (m.get("pidsLimit") instanceof Number n) {
      b.pidsLimit(n.longValue());
    }
    text(m, "applyCgroups").ifPresent(b::applyCgroups);
    return b.net(flag(m, "net"))
        .fakeroot(flag(m, "fakeroot"))
        .contain(flag(m, "contain"))
        .containall(flag(m, "containall"))
        .cleanenv(flag(m, "cleanenv"))
        .nv(flag(m, "nv"))
        .rocm(flag(m, "rocm"))
        .writableTmpfs(flag(m, "writableTmpfs"))
        .build();
  }

  private static List<AfterStartStep> steps(Object o) {
    List<AfterStartStep> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        out.add(stepFromJson((Map<?, ?>) x));
      }
    }
    return List.copyOf(out);
  }

  /** An after-start step: kind, target, app, arguments, background and every setting. */
  static Map<String, Object> stepToJson(AfterStartStep step) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("background", step.background());
    if (step.command() instanceof Exec e) {
      m.put("kind", "exec");
      m.put("target", e.target());
      e.app().ifPresent(a -> m.put("app", a));
      m.put("args", e.command());
      settingsToJson(e, m);
    } else if (step.command() instanceof Run r) {
      m.put("kind", "run");
      m.put("target", r.target());
      r.app().ifPresent(a -> m.put("app", a));
      m.put("args", r.args());
      settingsToJson(r, m);
    } else {
      throw new IllegalArgumentException("not an exec or run step: " + step.command().getClass());
    }
    return m;
  }

  static AfterStartStep stepFromJson(Map<?, ?> m) {
    String target = (String) m.get("target");
    ContainerSettings settings = settingsFromJson(m);
    SingularityCommand command;
    if ("exec".equals(m.get("kind"))) {
      Exec.Builder b = Exec.builder().from(settings).target(target).command(strings(m.get("args")));
      text(m, "app").ifPresent(b::app);
      command = b.build();
    } else {
      Run.Builder b = Run.builder().from(settings).target(target).args(strings(m.get("args")));
      text(m, "app").ifPresent(b::app);
      command = b.build();
    }
    return AfterStartStep.builder().command(command).background(flag(m, "background")).build();
  }

  /** A {@code depends_on} wait: service, instances, condition (the enum's name) and required. */
  static Map<String, Object> waitToJson(DependencyWait w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", w.service());
    m.put("instances", w.instances());
    m.put("condition", w.condition().name());
    m.put("required", w.required());
    return m;
  }

  private static List<DependencyWait> waits(Object o) {
    List<DependencyWait> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object x : l) {
        Map<?, ?> m = (Map<?, ?>) x;
        out.add(
            DependencyWait.builder()
                .service((String) m.get("service"))
                .instances(strings(m.get("instances")))
                .condition(DependsOn.Condition.valueOf((String) m.get("condition")))
                .required(!Boolean.FALSE.equals(m.get("required")))
                .build());
      }
    }
    return List.copyOf(out);
  }

  /** A healthcheck: test, and the durations that are set as ISO-8601 text ({@code PT5S}). */
  static Map<String, Object> healthcheckToJson(Healthcheck h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test", h.test());
    h.interval().ifPresent(d -> m.put("interval", d.toString()));
    h.timeout().ifPresent(d -> m.put("timeout", d.toString()));
    h.retries().ifPresent(n -> m.put("retries", n));
    h.startPeriod().ifPresent(d -> m.put("startPeriod", d.toString()));
    h.startInterval().ifPresent(d -> m.put("startInterval", d.toString()));
    return m;
  }

  static Healthcheck healthcheckFromJson(Map<?, ?> m) {
    Healthcheck.Builder b = Healthcheck.builder().test(strings(m.get("test")));
    text(m, "interval").map(Duration::parse).ifPresent(b::interval);
    text(m, "timeout").map(Duration::parse).ifPresent(b::timeout);
    if (m.get("retries") instanceof Number n) {
      b.retries(n.intValue());
    }
    text(m, "startPeriod").map(Duration::parse).ifPresent(b::startPeriod);
    text(m, "startInterval").map(Duration::parse).ifPresent(b::startInterval);
    return b.build();
  }

  private static List<String> strings(Object o) {
    if (!(o instanceof List<?> l)) {
      return List.of();
    }
    return l.stream().map(String::valueOf).toList();
  }

  private static Optional<String> text(Map<?, ?> m, String key) {
    return Optional.ofNullable(m.get(key)).map(Object::toString);
  }

  private static boolean flag(Map<?, ?> m, String key) {
    return Boolean.TRUE.equals(m.get(key));
  }
}
