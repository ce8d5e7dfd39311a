package io.github.scompose.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.scompose.samples.seams.BreaksTheSeams;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two seams of design/architecture.md that the compiler cannot guard, checked on the compiled
 * main classes of every module:
 *
 * <ul>
 *   <li><b>Processes start only in a transport</b> ({@code core.transport}, {@code
 *       core.internal.transport}): no {@code Runtime.exec}, no {@code new ProcessBuilder}, no
 *       {@code ProcessBuilder.start} elsewhere.
 *   <li><b>Time goes through the clock seam</b>: an injected {@link java.time.Clock} (read with
 *       {@code clock.instant()}) and, for waits, core's {@code Sleeper} or the testkit's {@code
 *       FakeTimeSource}. Nothing else calls {@code Instant.now()} (or another java.time {@code
 *       now()} without a clock), {@code System.currentTimeMillis()}, {@code Thread.sleep} or {@code
 *       TimeUnit.sleep}. {@code System.nanoTime()} (a monotonic stopwatch for durations and
 *       deadlines, never a date) is allowed.
 * </ul>
 *
 * Each exception is named with its reason below. {@link BreaksTheSeams} (a test class) shows that
 * every rule catches what it is written for.
 */
class SeamRulesTest {

  private static final String ROOT = "io.github.scompose";

  /** Where a process may be started, besides the transports. */
  private static final Map<String, String> PROCESS_EXCEPTIONS =
      Map.of(
          ROOT + ".testkit.internal.HostInstanceProcess",
          "the out-of-process emulator runs each fake instance as a real, harmless host process (a"
              + " `sleep`) so that liveness by PID and `instance stop` act on real processes;"
              + " nothing of an image is executed",
          ROOT + ".testkit.internal.junit.Watchdog",
          "starts the testkit's watchdog JVM and keeps its stdin open for the test JVM's lifetime"
              + " (the pipe whose end tells the watchdog that the JVM died); a transport feeds"
              + " stdin and closes it");

  /** The clock seam itself: the one place each reads the wall clock or really waits. */
  private static final Map<String, String> CLOCK_SEAM =
      Map.of(
          ROOT + ".core.client.Sleeper",
          "Sleeper.system(), the real waits injected with the Clock into SingularityClient",
          ROOT + ".testkit.internal.SystemTimeSource",
          "FakeTimeSource.system(), the fake runtime's wall clock");

  /** Real-time waits outside the seam, each on something that does not run on a fake clock. */
  private static final Map<String, String> WAIT_EXCEPTIONS =
      Map.of(
          ROOT + ".core.internal.transport.ProcessTree",
          "polls a real OS process tree between SIGTERM and SIGKILL (the kill grace period): an"
              + " operating system's processes do not die on an injected clock",
          ROOT + ".testkit.internal.HostInstanceProcess",
          "polls the real `sleep` process of a fake instance for 2 s after SIGTERM, likewise");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // as in ArchitectureTest: other build folders (-Dscompose.build.dir) and core's
            // test-jar hold test classes too
            .withImportOption(location -> !location.contains("/test-classes/"))
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages(ROOT);
  }

  static ArchRule onlyTransportsStartProcesses() {
    return noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".core.transport..", ROOT + ".core.internal.transport..")
        .and(notIn(PROCESS_EXCEPTIONS))
        .should()
        .callMethodWhere(call(Runtime.class, Set.of("exec")))
        .orShould()
        .callConstructorWhere(
            DescribedPredicate.describe(
                "new ProcessBuilder(…)",
                (JavaConstructorCall c) -> c.getTargetOwner().isEquivalentTo(ProcessBuilder.class)))
        .orShould()
        .callMethodWhere(call(ProcessBuilder.class, Set.of("start", "startPipeline")))
        .because("processes start only in a transport (Transport is the only door to processes)");
  }

  static ArchRule timeIsReadThroughTheClockSeam() {
    return noClasses()
        .that(notIn(CLOCK_SEAM))
        .should()
        .callMethodWhere(call(System.class, Set.of("currentTimeMillis")))
        .orShould()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a java.time now() without a Clock",
                (JavaMethodCall c) ->
                    c.getName().equals("now")
                        && c.getTarget().getRawParameterTypes().isEmpty()
                        && Set.of(
                                Instant.class,
                                LocalDateTime.class,
                                LocalDate.class,
                                LocalTime.class,
                                OffsetDateTime.class,
                                ZonedDateTime.class)
                            .stream()
                            .anyMatch(t -> c.getTargetOwner().isEquivalentTo(t))))
        .because("the current time comes from an injected java.time.Clock (tests use a fake one)");
  }

  static ArchRule waitsGoThroughTheClockSeam() {
    return noClasses()
        .that(notIn(CLOCK_SEAM))
        .and(notIn(WAIT_EXCEPTIONS))
        // JMH's generated harness (samples' benchmarks) waits between iterations; not our code
        .and()
        .resideOutsideOfPackage("..jmh_generated..")
        .should()
        .callMethodWhere(call(Thread.class, Set.of("sleep")))
        .orShould()
        .callMethodWhere(call(TimeUnit.class, Set.of("sleep")))
        .because(
            "waits go through Sleeper or FakeTimeSource, so that they run on a virtual clock in"
                + " tests; waiting for an event uses a latch or a future, not a sleep");
  }

  @Test
  void onlyTransportsStartProcessesHolds() {
    onlyTransportsStartProcesses().check(classes);
  }

  @Test
  void timeIsReadThroughTheClockSeamHolds() {
    timeIsReadThroughTheClockSeam().check(classes);
  }

  @Test
  void waitsGoThroughTheClockSeamHolds() {
    waitsGoThroughTheClockSeam().check(classes);
  }

  /** Every rule catches each thing it names, in a class written to break them. */
  @Test
  void eachRuleCatchesWhatItIsFor() {
    JavaClasses breaking = new ClassFileImporter().importClasses(BreaksTheSeams.class);
    String processes =
        onlyTransportsStartProcesses().evaluate(breaking).getFailureReport().toString();
    for (String call : Set.of("Runtime.exec", "ProcessBuilder.<init>", "ProcessBuilder.start")) {
      assertTrue(processes.contains(call), call + " not caught:\n" + processes);
    }
    String time = timeIsReadThroughTheClockSeam().evaluate(breaking).getFailureReport().toString();
    for (String call :
        Set.of("Instant.now()", "LocalDateTime.now()", "System.currentTimeMillis()")) {
      assertTrue(time.contains(call), call + " not caught:\n" + time);
    }
    assertTrue(!time.contains("Instant.now(java.time.Clock)"), "now(clock) is the seam:\n" + time);
    String waits = waitsGoThroughTheClockSeam().evaluate(breaking).getFailureReport().toString();
    for (String call : Set.of("Thread.sleep(long)", "TimeUnit.sleep(long)")) {
      assertTrue(waits.contains(call), call + " not caught:\n" + waits);
    }
  }

  private static DescribedPredicate<JavaMethodCall> call(Class<?> owner, Set<String> names) {
    return DescribedPredicate.describe(
        owner.getSimpleName() + "." + String.join("/", names),
        (JavaMethodCall c) ->
            c.getTargetOwner().isEquivalentTo(owner) && names.contains(c.getName()));
  }

  private static DescribedPredicate<JavaClass> notIn(Map<String, String> named) {
    return DescribedPredicate.describe(
        "are not " + named.keySet(),
        (JavaClass c) -> !named.containsKey(c.getName()) && !named.containsKey(outermost(c)));
  }

  /** A nested or anonymous class (a lambda stays in its class) counts as its outermost class. */
  private static String outermost(JavaClass c) {
    String name = c.getName();
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }
}
