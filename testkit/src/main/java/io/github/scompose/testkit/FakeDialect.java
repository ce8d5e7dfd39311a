package io.github.scompose.testkit;

/**
 * Which real binary the fake runtime behaves like: its version line, command names, flags, listing
 * columns, JSON fields, environment prefixes and per-user directory.
 *
 * <p>Sources: {@link #SINGULARITY_CE_3_4} is matched against outputs recorded from a real
 * SingularityCE 3.4.2 (lists, errors, exit codes and logs); {@link #APPTAINER_1} and {@link
 * #SINGULARITY_2} follow the projects' documentation (man pages) and were not checked against a
 * real binary.
 */
public enum FakeDialect {
  /**
   * Apptainer 1.x (the default): {@code apptainer version 1.3.4}; {@code APPTAINERENV_} (and legacy
   * {@code SINGULARITYENV_}) variables; {@code --env}, {@code --env-file}, {@code instance run};
   * listing with an {@code IP} column and JSON entries carrying {@code ip}, {@code logErrPath},
   * {@code logOutPath}; per-user directory {@code ~/.apptainer}. Documented, not recorded.
   */
  APPTAINER_1("apptainer", "1.3.4", ".apptainer"),

  /**
   * SingularityCE 3.4-style exactly as recorded from 3.4.2: {@code singularity version 3.4.2}; only
   * {@code SINGULARITYENV_}; no {@code --env}; listing without IP, JSON entries {@code instance},
   * {@code pid}, {@code img}; {@code instance list NAME} ignores NAME; per-user directory {@code
   * ~/.singularity}.
   */
  SINGULARITY_CE_3_4("singularity", "3.4.2", ".singularity"),

  /**
   * Singularity 2.x: {@code instance.start}, {@code instance.list} (header {@code DAEMON NAME PID
   * CONTAINER IMAGE}), {@code instance.stop}; no {@code --net}, no JSON listing; version {@code
   * 2.6.1-dist}. Documented, not recorded; error texts are approximations.
   */
  SINGULARITY_2("singularity", "2.6.1-dist", ".singularity");

  private final String program;
  private final String defaultVersion;
  private final String userDirectory;

  FakeDialect(String program, String defaultVersion, String userDirectory) {
    this.program = program;
    this.defaultVersion = defaultVersion;
    this.userDirectory = userDirectory;
  }

  /** The binary's usual name: {@code apptainer} or {@code singularity}. */
  public String program() {
    return program;
  }

  /** The version reported unless the builder sets another, e.g. {@code 3.4.2}. */
  public String defaultVersion() {
    return defaultVersion;
  }

  /**
   * The per-user directory under the home directory: {@code .apptainer} or {@code .singularity}.
   */
  public String userDirectory() {
    return userDirectory;
  }
}
