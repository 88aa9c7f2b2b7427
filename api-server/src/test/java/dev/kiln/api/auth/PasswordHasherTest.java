package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher(12);

  @Test
  void hashesWithBcryptAtCostTwelveAndVerifies() {
    String hash = hasher.hash("correct horse battery");

    assertThat(hash).startsWith("$2b$12$");
    assertThat(hasher.matches("correct horse battery", hash)).isTrue();
    assertThat(hasher.matches("correct horse batterY", hash)).isFalse();
  }

  @Test
  void refusesACostBelowTwelve() {
    assertThatThrownBy(() -> new PasswordHasher(10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMalformedHashNeverMatches() {
    assertThat(hasher.matches("whatever", "not a hash")).isFalse();
  }
}
