package org.example.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.github.scompose.core.transport.CommandResult;
import io.github.scompose.testkit.junit.ComposeStackUnderTest;
import io.github.scompose.testkit.junit.SingularityTest;
import io.github.scompose.testkit.junit.TestComposeStack;
import org.junit.jupiter.api.Test;

/** A user's stack test: the stack comes up on the fake runtime, and exec sees the service's environment. */
@SingularityTest
class ShopStackTest {

  @ComposeStackUnderTest(file = "src/test/resources/shop.yml")
  static TestComposeStack shop;

  @Test
  void execSeesTheServiceEnvironment() {
    CommandResult greeting = shop.exec("app", "printenv", "GREETING");
    assertEquals(0, greeting.exitCode(), greeting.stderr());
    assertEquals("hello from the compose file\n", greeting.stdout());
    assertEquals("db\n", shop.exec("app", "printenv", "DB_HOST").stdout());
  }

  @Test
  void theStackIsAlsoAParameter(TestComposeStack stack) {
    assertSame(shop, stack);
  }

  @Test
  void theJUnitOnTheClassPathIsTheConsumers() {
    assertEquals(
        System.getProperty("expected.junit.version"),
        Test.class.getPackage().getImplementationVersion());
  }
}
