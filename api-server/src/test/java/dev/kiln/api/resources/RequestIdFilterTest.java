package dev.kiln.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestIdFilterTest {
  private final RequestIdFilter filter =
      new RequestIdFilter(new TrustedProxies(List.of("10.0.0.0/16")));

  @Test
  void aTrustedProxysIdIsKept() {
    assertThat(filter.idOf("edge-7f3a.91:2", "10.0.3.4")).isEqualTo("edge-7f3a.91:2");
  }

  @Test
  void anyoneElsesIdIsReplacedByANewOne() {
    String id = filter.idOf("chosen-by-the-client", "203.0.113.9");

    assertThat(id).isNotEqualTo("chosen-by-the-client");
    assertThat(UUID.fromString(id)).isNotNull();
  }

  @Test
  void aMalformedOrOverlongIdIsReplacedEvenFromAProxy() {
    assertThat(filter.idOf("two words", "10.0.0.1")).isNotEqualTo("two words");
    assertThat(filter.idOf("x".repeat(129), "10.0.0.1")).hasSize(36);
    assertThat(filter.idOf("", "10.0.0.1")).hasSize(36);
  }

  @Test
  void noIdGetsANewOne() {
    assertThat(UUID.fromString(filter.idOf(null, "10.0.0.1"))).isNotNull();
  }
}
