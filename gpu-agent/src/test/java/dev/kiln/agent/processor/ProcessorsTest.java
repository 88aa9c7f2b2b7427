package dev.kiln.agent.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessorsTest {
  @Test
  void findsTheBuiltInProcessorsWithServiceLoader() {
    try (Processors all = Processors.discover(Set.of())) {
      assertThat(all.names()).contains("parse");
    }
    try (Processors some = Processors.discover(Set.of("parse"))) {
      assertThat(some.names()).containsExactly("parse");
    }
  }

  @Test
  void anUnknownEnabledNameIsAConfigurationError() {
    assertThatThrownBy(() -> Processors.discover(Set.of("nope")))
        .hasMessageContaining("no processor is named nope");
  }
}
