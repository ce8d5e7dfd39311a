package io.github.scompose.spec.internal.load;

import io.github.scompose.spec.ComposeException;
import io.github.scompose.spec.ComposeProject;
import io.github.scompose.spec.SecretSpec;
import io.github.scompose.spec.ServiceSpec;
import io.github.scompose.spec.SourceFormat;
import io.github.scompose.spec.internal.interpolation.DotEnv;
import io.github.scompose.spec.internal.interpolation.DotEnvException;
import io.github.scompose.spec.internal.interpolation.Interpolated;
import io.github.scompose.spec.internal.interpolation.InterpolationException;
import io.github.scompose.spec.internal.interpolation.Interpolator;
import io.github.scompose.spec.internal.yaml.KeyPath;
import io.github.scompose.spec.internal.yaml.Loc;
import io.github.scompose.spec.internal.yaml.SourceText;
import io.github.scompose.spec.internal.yaml.YNode;
import io.github.scompose.spec.internal.yaml.YNode.YMap;
import io.github.scompose.spec.internal.yaml.YNode.YScalar;
import io.github.scompose.spec.internal.yaml.YNode.YSeq;
import io.github.scompose.spec.internal.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the loader: files in, {@link ComposeProject} or {@link ComposeException} out. Reads,
 * parses, interpolates and detects the format of each file here; {@link IncludesAndExtends} applies
 * {@code include} and {@code extends}, {@link ProjectBinding} binds the merged result.
 */
public final class ProjectLoading {

  /** One input document: a file ({@code path}) or a text ({@code content}) with a label. */
  public record Input(String label, Path path, String content) {}

  /** What the loader was configured with; null members take their defaults. */
  public record Settings(
      Path projectDirectory, String projectName, Map<String, String> environment, Path home) {}

  static final Set<String> SC_TOP = ScBinder.ordered("version", "instances");
  static final Set<String> COMPOSE_TOP =
      ScBinder.ordered(
          "version",
          "name",
          "include",
          "services",
          "networks",
          "volumes",
          "secrets",
          "configs",
          "models");

  /**
   * One parsed, interpolated document and its format; {@code tagged} when a node in it has a tag
   * ({@code !reset}, {@code !override}...), or when that is not known.
   */
  record Doc(
      String label, Path file, Path baseDir, YMap root, SourceFormat format, boolean tagged) {}

  private final Problems problems = new Problems();
  private final Nodes nodes = new Nodes(problems);
  private final Map<Path, Optional<Doc>> docCache = new HashMap<>();

  private Path directory;
  private HostPaths paths;
  private Map<String, String> environment;
  private Interpolator interpolator;
  private IncludesAndExtends references;

  /** Whether the interpolation walk under way has met a node with a tag. */
  private boolean tagSeen;

  private ProjectBinding binding;

  private ProjectLoading() {}

  /**
   * Loads the inputs (later ones override earlier ones).
   *
   * @throws ComposeException with every problem found
   */
  public static ComposeProject load(List<Input> inputs, Settings settings) {
    return new ProjectLoading().run(inputs, settings);
  }

  private ComposeProject run(List<Input> inputs, Settings settings) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no compose file given");
    }
    Path dir = settings.projectDirectory();
    if (dir == null) {
      Path first = inputs.get(0).path();
      dir =
          first != null && first.toAbsolutePath().getParent() != null
              ? first.toAbsolutePath().getParent()
              : Path.of("").toAbsolutePath();
    }
    directory = dir.toAbsolutePath().normalize();
    Path home =
        settings.home() != null ? settings.home() : Path.of(System.getProperty("user.home"));
    paths = new HostPaths(home);
    environment =
        settings.environment() != null ? settings.environment() : defaultEnvironment(directory);
    interpolator = new Interpolator(name -> Optional.ofNullable(environment.get(name)));
    references = new IncludesAndExtends(this, nodes, paths);
    binding = new ProjectBinding(nodes, paths, environment);

    List<Doc> docs = new ArrayList<>();
    for (Input input : inputs) {
      String content = input.content();
      if (content == null) {
        content = readFile(input.path(), input.label(), Loc.ofFile(input.label(), directory), "");
        if (content == null) {
          continue;
        }
      }
      parse(input.label(), input.path(), directory, content).ifPresent(docs::add);
    }
    SourceFormat format = docs.isEmpty() ? SourceFormat.COMPOSE_SPEC : docs.get(0).format();
    for (Doc doc : docs) {
      if (doc.format().isSingularityCompose() != format.isSingularityCompose()) {
        problems.error(
            doc.root().loc(),
            "",
            "this file is "
                + describe(doc.format())
                + " but the first file is "
                + describe(format)
                + "; one project cannot mix them");
      }
    }
    List<ServiceSpec> services = new ArrayList<>();
    List<SecretSpec> secrets = new ArrayList<>();
    Map<String, YMap> serviceNodes = new LinkedHashMap<>();
    Map<String, Loc> serviceLocs = new LinkedHashMap<>();
    Map<String, Object> extensions = new LinkedHashMap<>();
    String name = settings.projectName();
    if (!docs.isEmpty() && !problems.hasErrors()) {
      YMap merged = null;
      for (Doc doc : docs) {
        YMap root = doc.root();
        if (!format.isSingularityCompose()) {
          root = references.applyIncludes(doc, new ArrayList<>(List.of(key(doc))));
          root =
              references.applyExtends(
                  new Doc(doc.label(), doc.file(), doc.baseDir(), root, doc.format(), true));
        }
        if (merged == null) {
          // a document without tags, unchanged by includes and extends, needs no walk to untag it
          merged = !doc.tagged() && root == doc.root() ? root : (YMap) Merger.untag(root);
        } else {
          merged =
              format.isSingularityCompose()
                  ? Merger.singularityCompose(merged, root)
                  : Merger.compose(merged, root);
        }
      }
      if (format.isSingularityCompose()) {
        binding.bindSc(merged, services, serviceNodes, serviceLocs);
      } else {
        if (name == null && merged.get("name") instanceof YScalar n && !n.isNull()) {
          name = n.value();
        }
        binding.bindCompose(merged, services, secrets, serviceNodes, serviceLocs);
        for (Map.Entry<String, YNode> e : merged.entries().entrySet()) {
          if (e.getKey().startsWith("x-")) {
            Object plain = YNode.toPlain(e.getValue());
            extensions.put(e.getKey(), plain == null ? "" : plain);
          }
        }
      }
    }
    List<ServiceSpec> ordered =
        new ProjectChecks(nodes, format).check(services, serviceNodes, serviceLocs);
    if (problems.hasErrors()) {
      throw new ComposeException(problems.all());
    }
    return ComposeProject.builder()
        .name(normaliseName(name != null ? name : nameOf(directory)))
        .directory(directory)
        .format(format)
        .services(ordered)
        .secrets(secrets)
        .extensions(extensions)
        .warnings(problems.warnings())
        .build();
  }

  private static String nameOf(Path dir) {
    Path fileName = dir.getFileName();
    return fileName == null ? "default" : fileName.toString();
  }

  /** docker compose's normalisation: lower case, only {@code [a-z0-9_-]} kept. */
  public static String normaliseName(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
        out.append(c);
      }
    }
    return out.length() == 0 ? "default" : out.toString();
  }

  private static String describe(SourceFormat format) {
    return format.isSingularityCompose()
        ? "a singularity-compose file (instances:)"
        : "a Compose file (services:)";
  }

  private Map<String, String> defaultEnvironment(Path dir) {
    Map<String, String> env = new LinkedHashMap<>();
    Path dotEnv = dir.resolve(".env");
    if (Files.isRegularFile(dotEnv)) {
      String label = dotEnv.toString();
      try {
        env.putAll(DotEnv.parse(SourceText.read(dotEnv)));
      } catch (DotEnvException e) {
        problems.error(new Loc(label, dir, e.line(), 1), "", e.reason());
      } catch (SourceText.Unreadable e) {
        problems.error(
            new Loc(label, dir, e.line(), e.column()), "", "cannot read .env: " + e.reason());
      }
    }
    env.putAll(System.getenv());
    return env;
  }

  /**
   * The text of {@code path} (see {@link SourceText}), or null after reporting why not: at {@code
   * from} (where the file is named) when it cannot be opened or is too large, at the bad byte when
   * it is not UTF-8.
   */
  private String readFile(Path path, String label, Loc from, String keyPath) {
    try {
      return SourceText.read(path);
    } catch (SourceText.Unreadable e) {
      if (e.line() > 0) {
        problems.error(new Loc(label, directory, e.line(), e.column()), "", e.reason());
      } else {
        problems.error(from, keyPath, "cannot read " + label + ": " + e.reason());
      }
      return null;
    }
  }

  String labelOf(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(directory) ? directory.relativize(abs).toString() : abs.toString();
  }

  /** A duplicate key, held until the file's format says whether it is an error or a warning. */
  private record Duplicate(Loc loc, String path, String key, int firstLine) {}

  /**
   * Reports the duplicate keys of one file: errors in a Compose file (compose-go rejects them, as
   * YAML 1.2 does) and when the format is unknown; warnings in a singularity-compose file, whose
   * tool (PyYAML) keeps the last value, as the reader does.
   */
  private void reportDuplicates(List<Duplicate> duplicates, boolean singularityCompose) {
    for (Duplicate d : duplicates) {
      if (singularityCompose) {
        problems.warning(
            d.loc(),
            d.path(),
            "duplicate key \""
                + d.key()
                + "\" (first defined at line "
                + d.firstLine()
                + "): the last value is used, as singularity-compose does");
      } else {
        problems.duplicateKey(d.loc(), d.path(), d.key(), d.firstLine());
      }
    }
  }

  private Optional<Doc> parse(String label, Path file, Path baseDir, String content) {
    List<Duplicate> duplicates = new ArrayList<>();
    YamlReader.Diagnostics held =
        new YamlReader.Diagnostics() {
          @Override
          public void error(Loc loc, String path, String message) {
            problems.error(loc, path, message);
          }

          @Override
          public void duplicateKey(Loc loc, String path, String key, int firstLine) {
            duplicates.add(new Duplicate(loc, path, key, firstLine));
          }
        };
    Optional<Doc> doc = parseHeld(label, file, baseDir, content, held);
    reportDuplicates(duplicates, doc.isPresent() && doc.get().format().isSingularityCompose());
    return doc;
  }

  private Optional<Doc> parseHeld(
      String label, Path file, Path baseDir, String content, YamlReader.Diagnostics held) {
    int before = problems.errorCount();
    Optional<YNode> root = YamlReader.read(label, baseDir, content, held);
    if (root.isEmpty()) {
      if (problems.errorCount() == before) {
        problems.error(
            Loc.ofFile(label, baseDir),
            "",
            "the file is empty; expected a mapping with \"services:\" (Compose) or \"instances:\""
                + " (singularity-compose)");
      }
      return Optional.empty();
    }
    if (!(root.get() instanceof YMap map)) {
      nodes.wrongType(root.get(), "", "a mapping at the top of the file");
      return Optional.empty();
    }
    tagSeen = false;
    YMap interpolated = (YMap) interpolate(map, KeyPath.ROOT);
    boolean tagged = tagSeen;
    Optional<SourceFormat> format = detect(interpolated);
    return format.map(f -> new Doc(label, file, baseDir, interpolated, f, tagged));
  }

  private Optional<SourceFormat> detect(YMap root) {
    if (root.get("instances") != null) {
      nodes.unknownKeys(root, "", SC_TOP, false, "a singularity-compose file");
      YNode version = root.get("version");
      if (version == null) {
        problems.error(
            root.loc(),
            "version",
            "missing \"version\"; singularity-compose files need version \"1.0\" or \"2.0\"");
        return Optional.empty();
      }
      String v = version instanceof YScalar s ? s.value().trim() : "";
      switch (v) {
        case "1.0", "1" -> {
          return Optional.of(SourceFormat.SINGULARITY_COMPOSE_1_0);
        }
        case "2.0", "2" -> {
          return Optional.of(SourceFormat.SINGULARITY_COMPOSE_2_0);
        }
        default -> {
          problems.error(
              version.loc(),
              "version",
              "unsupported version \""
                  + (version instanceof YScalar ? v : version.describe())
                  + "\"; singularity-compose knows \"1.0\" and \"2.0\"");
          return Optional.empty();
        }
      }
    }
    boolean compose = root.entries().keySet().stream().anyMatch(COMPOSE_TOP::contains);
    if (!compose) {
      // located at the first top-level key, which is where "services:" was expected
      String first = root.entries().keySet().stream().findFirst().orElse("");
      problems.error(
          first.isEmpty() ? root.loc() : root.keyLoc(first),
          first,
          "no \"services:\" (Compose) or \"instances:\" (singularity-compose) at the top of the"
              + " file; found "
              + String.join(", ", root.entries().keySet())
              + " (docker-compose v1 files without \"services:\" are not supported)");
      return Optional.empty();
    }
    nodes.unknownKeys(root, "", COMPOSE_TOP, true, "a Compose file");
    if (root.get("version") != null) {
      problems.warning(
          root.keyLoc("version"),
          "version",
          "\"version\" is obsolete in the Compose Specification; ignored");
    }
    return Optional.of(SourceFormat.COMPOSE_SPEC);
  }

  private YNode interpolate(YNode node, KeyPath path) {
    if (node.tag() != null) {
      tagSeen = true;
    }
    if (node instanceof YScalar s) {
      if (s.kind() != YNode.Kind.STRING || s.value().indexOf('$') < 0) {
        return s;
      }
      try {
        Interpolated result = interpolator.interpolate(s.value());
        for (String unset : result.unsetVariables()) {
          problems.warning(
              s.loc(),
              path.toString(),
              "variable \"" + unset + "\" is not set; using an empty string");
        }
        return s.withValue(result.value());
      } catch (InterpolationException e) {
        problems.error(s.loc(), path.toString(), e.getMessage());
        return s;
      }
    }
    // a collection is copied only when something in it changed: most values have no variable
    if (node instanceof YSeq q) {
      List<YNode> items = null;
      int i = 0;
      for (YNode item : q.items()) {
        YNode done = interpolate(item, path.index(i));
        if (items == null && done != item) {
          items = new ArrayList<>(q.items().subList(0, i));
        }
        if (items != null) {
          items.add(done);
        }
        i++;
      }
      return items == null ? q : new YSeq(items, q.loc(), q.tag());
    }
    YMap m = (YMap) node;
    LinkedHashMap<String, YNode> out = null;
    for (Map.Entry<String, YNode> e : m.entrySetView()) {
      YNode value = e.getValue();
      YNode done = interpolate(value, path.key(e.getKey()));
      if (out == null && done != value) {
        out = new LinkedHashMap<>();
        for (Map.Entry<String, YNode> before : m.entrySetView()) {
          if (before.getKey().equals(e.getKey())) {
            break;
          }
          out.put(before.getKey(), before.getValue());
        }
      }
      if (out != null) {
        out.put(e.getKey(), done);
      }
    }
    return out == null ? m : new YMap(out, m.keyLocs(), m.loc(), m.tag());
  }

  static String key(Doc doc) {
    return doc.file() != null ? doc.file().toAbsolutePath().normalize().toString() : doc.label();
  }

  /** A referenced file (include, extends), read, parsed and interpolated once. */
  Optional<Doc> referenced(Path file, Path baseDir, Loc from, String keyPath) {
    Path abs = file.toAbsolutePath().normalize();
    if (docCache.containsKey(abs)) {
      return docCache.get(abs);
    }
    String label = labelOf(abs);
    String content = readFile(abs, label, from, keyPath);
    Optional<Doc> doc = content == null ? Optional.empty() : parse(label, abs, baseDir, content);
    if (doc.isPresent() && doc.get().format().isSingularityCompose()) {
      problems.error(from, keyPath, label + " is not a Compose file (it has instances:)");
      doc = Optional.empty();
    }
    docCache.put(abs, doc);
    return doc;
  }
}
