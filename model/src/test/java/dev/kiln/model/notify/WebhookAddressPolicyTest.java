package dev.kiln.model.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookAddressPolicyTest {
  private final WebhookAddressPolicy strict = new WebhookAddressPolicy(false);
  private final WebhookAddressPolicy local = new WebhookAddressPolicy(true);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "169.254.0.1",
        "100.64.0.1",
        "100.127.255.255",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.0.8",
        "192.0.2.1",
        "198.18.0.1",
        "198.51.100.7",
        "203.0.113.9",
        "::1",
        "::",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "fc00::1",
        "fd12:3456:789a::1",
        "ff02::1",
        "ff05::1:3",
        "2001:db8::1",
        "100::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "::ffff:a9fe:a9fe",
        "::127.0.0.1",
        "::169.254.169.254",
        "::ffff:0:10.1.2.3",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::127.0.0.1",
        "64:ff9b:1::192.168.0.1",
        "2002:a9fe:a9fe::1",
        "2002:7f00:1::",
        "2002:c0a8:0101::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "fd00:ec2::254"
      })
  void refusesEveryNonPublicAddress(String literal) throws Exception {
    assertThat(strict.refusal(address(literal))).as(literal).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "172.15.255.255",
        "172.32.0.1",
        "100.63.255.255",
        "100.128.0.1",
        "169.253.1.1",
        "192.169.0.1",
        "223.255.255.254",
        "2606:4700:4700::1111",
        "2a00:1450:4001:81c::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:0808:0808::1"
      })
  void allowsPublicAddresses(String literal) throws Exception {
    assertThat(strict.refusal(address(literal))).as(literal).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "::1", "::ffff:127.0.0.1", "127.1.2.3"})
  void localModeAllowsLoopbackOnly(String literal) throws Exception {
    assertThat(local.refusal(address(literal))).as(literal).isEmpty();
    assertThat(WebhookAddressPolicy.isLoopback(address(literal))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"169.254.169.254", "10.0.0.1", "fd00::1", "::ffff:192.168.0.1"})
  void localModeStillRefusesPrivateAddresses(String literal) throws Exception {
    assertThat(local.refusal(address(literal))).as(literal).isPresent();
  }

  /** Parses a literal without a name lookup (literals never resolve). */
  private static InetAddress address(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
