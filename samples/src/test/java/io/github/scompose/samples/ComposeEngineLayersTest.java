package io.github.scompose.samples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one named exception to "no dependency from a public package into its {@code .internal} tree"
 * between {@code core.compose} and {@code core.internal.compose} (issue 13): the engine in {@code
 * core.internal.compose} works on the public model of {@code core.compose} (plans, planned
 * instances, events, exceptions, options), so that direction is free; the other direction is taken
 * only by the public entry points, which delegate to the engine:
 *
 * <ul>
 *   <li>{@code Compose} and its {@code Compose.Builder} (whose setters live in the package-private
 *       {@code ComposeOptions}): the facade; every operation is carried out by {@code
 *       ComposeEngine} and the operation classes behind it;
 *   <li>{@code ComposeStack}: the handle on a running project, over the same engine;
 *   <li>{@code UpPlanner}: the planner, for the one rule of the environment a command run in an
 *       instance gets ({@code InstanceEnvironment}, shared with {@code exec} and healthchecks).
 * </ul>
 *
 * The engine never calls back into the facade ({@code Compose}, {@code ComposeOptions}, {@code
 * ComposeStack}): the facade's edge into the engine is one way.
 */
class ComposeEngineLayersTest {

  private static final String COMPOSE = "io.github.scompose.core.compose";
  private static final String ENGINE = "io.github.scompose.core.internal.compose";

  /** The entry points (top-level classes; their nested classes count as themselves). */
  private static final Set<String> ENTRY_POINTS =
      Set.of("Compose", "ComposeOptions", "ComposeStack", "UpPlanner");

  /** The facade, which the engine must not depend on. */
  private static final Set<String> FACADE = Set.of("Compose", "ComposeOptions", "ComposeStack");

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/test-classes/"))
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.github.scompose.core");
  }

  private static DescribedPredicate<JavaClass> oneOf(Set<String> names, String description) {
    return DescribedPredicate.describe(
        description,
        (JavaClass c) -> c.getPackageName().equals(COMPOSE) && names.contains(topLevelName(c)));
  }

  private static String topLevelName(JavaClass c) {
    String name = c.getName().substring(COMPOSE.length() + 1);
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  @Test
  void onlyTheEntryPointsOfCoreComposeDependOnTheEngine() {
    noClasses()
        .that()
        .resideInAPackage(COMPOSE)
        .and(DescribedPredicate.not(oneOf(ENTRY_POINTS, "an entry point " + ENTRY_POINTS)))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ENGINE + "..")
        .because(
            "the model of core.compose (plans, events, exceptions, options) knows nothing of the"
                + " engine; only the entry points delegate to it")
        .check(classes);
  }

  @Test
  void theEngineNeverCallsBackIntoTheFacade() {
    noClasses()
        .that()
        .resideInAPackage(ENGINE + "..")
        .should()
        .dependOnClassesThat(oneOf(FACADE, "the facade " + FACADE))
        .because("the facade's edge into the engine is one way")
        .check(classes);
  }
}
