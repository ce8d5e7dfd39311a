package io.github.scompose.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretValuesTest {

  @Test
  void namesThatSaySecretAreMasked() {
    for (String name :
        new String[] {"API_TOKEN", "db_password", "org.example.secret", "SSH_KEY", "Credentials"}) {
      assertTrue(SecretValues.looksSecret(name), name);
      assertEquals("***", SecretValues.shown(name, "hunter2"));
    }
    for (String name :
        new String[] {
          "SINGULARITY_RUNSCRIPT_ARG_STR", "org.label-schema.build-date", "maintainer", ""
        }) {
      assertFalse(SecretValues.looksSecret(name), name);
      assertEquals("v", SecretValues.shown(name, "v"));
    }
    assertFalse(SecretValues.looksSecret(null));
  }

  @Test
  void textKeepsItsShapeWithValuesMasked() {
    assertEquals(
        "export API_TOKEN=*** and --password *** kept",
        SecretValues.maskText("export API_TOKEN=abc and --password xyz kept"));
  }
}
