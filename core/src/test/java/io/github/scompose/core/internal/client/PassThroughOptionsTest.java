package io.github.scompose.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PassThroughOptionsTest {

  @Test
  void composeOptionForms() {
    // singularity-compose 0.1.19: x → -x, name → --name, k=v → --k=v
    assertEquals("--fakeroot", PassThroughOptions.render("fakeroot"));
    assertEquals("-e", PassThroughOptions.render("e"));
    assertEquals("--workdir=/x", PassThroughOptions.render("workdir=/x"));
    assertEquals("--env-file=myvars.env", PassThroughOptions.render("env-file=myvars.env"));
    assertEquals("-C", PassThroughOptions.render("C"));
    // already a flag: kept (the reference tool wrote ----contain)
    assertEquals("--contain", PassThroughOptions.render("--contain"));
    assertEquals("--shm-size=2g", PassThroughOptions.render("--shm-size=2g"));
  }

  @Test
  void longNames() {
    assertEquals(Optional.of("--env"), PassThroughOptions.longName("--env=A=1"));
    assertEquals(Optional.of("--net"), PassThroughOptions.longName("--net"));
    assertEquals(Optional.empty(), PassThroughOptions.longName("-e"));
  }
}
