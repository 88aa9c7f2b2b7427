package dev.kiln.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteLatencyTest {
  @Test
  void statusesAreGroupedByTheirHundreds() {
    assertThat(RouteLatency.statusClass(200)).isEqualTo("2xx");
    assertThat(RouteLatency.statusClass(204)).isEqualTo("2xx");
    assertThat(RouteLatency.statusClass(429)).isEqualTo("4xx");
    assertThat(RouteLatency.statusClass(503)).isEqualTo("5xx");
    assertThat(RouteLatency.statusClass(101)).isEqualTo("1xx");
    assertThat(RouteLatency.statusClass(999)).isEqualTo("9xx");
  }
}
