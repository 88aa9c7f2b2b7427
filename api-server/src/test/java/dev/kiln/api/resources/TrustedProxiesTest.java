package dev.kiln.api.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies alb = new TrustedProxies(List.of("10.0.0.0/16", "fd00::/8"));

  @Test
  void byDefaultNobodyIsTrustedAndTheHeaderIsIgnored() {
    assertThat(TrustedProxies.none().clientAddress("10.0.3.4", List.of("203.0.113.9")))
        .isEqualTo("10.0.3.4");
  }

  @Test
  void aPeerOutsideTheTrustedBlocksIsTheClientWhateverItForwards() {
    assertThat(alb.clientAddress("198.51.100.7", List.of("10.0.0.1, 203.0.113.9")))
        .isEqualTo("198.51.100.7");
  }

  @Test
  void behindATrustedProxyTheRightmostUntrustedEntryIsTheClient() {
    assertThat(alb.clientAddress("10.0.3.4", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
    assertThat(alb.clientAddress("10.0.3.4", List.of("1.2.3.4, 6.6.6.6, 203.0.113.9")))
        .as("entries the client wrote itself, on the left, are ignored")
        .isEqualTo("203.0.113.9");
    assertThat(alb.clientAddress("10.0.3.4", List.of("1.2.3.4", "203.0.113.9, 10.0.9.9")))
        .as("several headers and several trusted hops")
        .isEqualTo("203.0.113.9");
    assertThat(alb.clientAddress("fd12::1", List.of("2001:db8::5")))
        .isEqualTo("2001:db8:0:0:0:0:0:5");
  }

  @Test
  void garbageOrOnlyTrustedHopsFallBackToTheNearestTrustedAddress() {
    assertThat(alb.clientAddress("10.0.3.4", List.of("evil.example.com, 10.0.7.7")))
        .isEqualTo("10.0.7.7");
    assertThat(alb.clientAddress("10.0.3.4", List.of("10.0.1.1, 10.0.2.2"))).isEqualTo("10.0.1.1");
    assertThat(alb.clientAddress("10.0.3.4", List.of())).isEqualTo("10.0.3.4");
  }

  @Test
  void blocksMatchByTheirPrefixOnly() {
    TrustedProxies odd = new TrustedProxies(List.of("192.168.4.0/22", "127.0.0.1"));
    assertThat(odd.trusts("192.168.7.255")).isTrue();
    assertThat(odd.trusts("192.168.8.0")).isFalse();
    assertThat(odd.trusts("127.0.0.1")).isTrue();
    assertThat(odd.trusts("127.0.0.2")).isFalse();
    assertThat(odd.trusts("::1")).isFalse();
  }

  @Test
  void aBlockThatIsNoAddressIsRefusedAtStart() {
    assertThatThrownBy(() -> new TrustedProxies(List.of("alb.internal/16")))
        .hasMessageContaining("not an address block");
    assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33")))
        .hasMessageContaining("10.0.0.0/33");
  }
}
