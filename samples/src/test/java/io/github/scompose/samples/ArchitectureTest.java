package io.github.scompose.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The module arrows of DEVELOPERS.md, checked on the compiled main classes of every module: {@code
 * compose-spec} and {@code network} know nothing of {@code core}; nothing knows {@code samples};
 * {@code .internal} packages are private to their module; no package cycles; processes are started
 * only by core's transport.
 */
class ArchitectureTest {

  private static final String ROOT = "io.github.scompose";
  private static final List<String> MODULE_PACKAGES =
      List.of("spec", "network", "core", "testkit", "samples");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // DO_NOT_INCLUDE_TESTS knows only target/test-classes; builds may use another folder
            // (-Dscompose.build.dir=target-NAME), whose test classes must stay out too.
            .withImportOption(location -> !location.contains("/test-classes/"))
            // core's test-jar (ReferenceArgv, for CompatDryRunTest) is on the test classpath after
            // package: its classes are tests too
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages(ROOT);
  }

  @Test
  void composeSpecKnowsOnlyItself() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".spec..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".network..", ROOT + ".core..", ROOT + ".testkit..", ROOT + ".samples..")
        .check(classes);
  }

  @Test
  void networkKnowsOnlyItself() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".network..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            ROOT + ".spec..", ROOT + ".core..", ROOT + ".testkit..", ROOT + ".samples..")
        .check(classes);
  }

  @Test
  void coreDoesNotKnowTestkitOrSamples() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".testkit..", ROOT + ".samples..")
        .check(classes);
  }

  @Test
  void nothingKnowsSamples() {
    noClasses()
        .that()
        .resideOutsideOfPackage(ROOT + ".samples..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + ".samples..")
        .check(classes);
  }

  @TestFactory
  List<DynamicTest> internalPackagesArePrivateToTheirModule() {
    return MODULE_PACKAGES.stream()
        .map(
            module ->
                DynamicTest.dynamicTest(
                    module,
                    () ->
                        noClasses()
                            .that()
                            .resideOutsideOfPackage(ROOT + "." + module + "..")
                            .should()
                            .dependOnClassesThat()
                            .resideInAPackage(ROOT + "." + module + "..internal..")
                            .allowEmptyShould(true)
                            .check(classes)))
        .toList();
  }

  /**
   * No cycles between packages. One kind of edge is left out: a module's public package calling
   * into its own {@code .internal} tree (a facade such as {@code ComposeLoader} delegating to the
   * internal loader, which builds the public model types). Cycles among public packages, among
   * internal packages, and across modules still fail.
   */
  @Test
  void noPackageCycles() {
    var rule = slices().matching(ROOT + ".(**)").should().beFreeOfCycles();
    for (String module : MODULE_PACKAGES) {
      String modulePackage = ROOT + "." + module;
      rule =
          rule.ignoreDependency(
              DescribedPredicate.describe(
                  "a public class of " + modulePackage,
                  (JavaClass c) ->
                      c.getPackageName().startsWith(modulePackage)
                          && !c.getPackageName().contains(".internal")),
              DescribedPredicate.describe(
                  "a class of " + modulePackage + "..internal..",
                  (JavaClass c) ->
                      c.getPackageName().startsWith(modulePackage)
                          && c.getPackageName().contains(".internal")));
    }
    rule.check(classes);
  }

  @Test
  void onlyCoreTransportStartsProcesses() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".core.transport..", ROOT + ".core.internal.transport..")
        // The one exception: the testkit's out-of-process emulator runs each fake instance as a
        // real, harmless host process (a `sleep`) so that liveness checks by PID and
        // `instance stop` work on real processes; nothing of an image is executed.
        .and()
        .doNotHaveFullyQualifiedName(ROOT + ".testkit.internal.HostInstanceProcess")
        // And the testkit's watchdog JVM: its stdin must stay an open pipe for the test JVM's
        // whole life (its end-of-file is the signal), which core's run-to-completion seam closes.
        .and()
        .doNotHaveFullyQualifiedName(ROOT + ".testkit.internal.junit.Watchdog")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(ProcessBuilder.class)
        .check(classes);
  }
}
