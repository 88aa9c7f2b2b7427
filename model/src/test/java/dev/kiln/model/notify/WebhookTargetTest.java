package dev.kiln.model.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class WebhookTargetTest {
  private final WebhookAddressPolicy strict = new WebhookAddressPolicy(false);
  private final WebhookAddressPolicy local = new WebhookAddressPolicy(true);

  @Test
  void pinsThePublicAddressItChecked() throws Exception {
    WebhookTarget target =
        WebhookTarget.check(
            "https://hooks.example.com:8443/in?x=1", strict, resolvingTo("93.184.216.34"));

    assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(target.port()).isEqualTo(8443);
    assertThat(target.https()).isTrue();
    assertThat(target.host()).isEqualTo("hooks.example.com");
  }

  @Test
  void refusesANameWithAnyPrivateAddress() {
    assertThatThrownBy(
            () ->
                WebhookTarget.check(
                    "https://hooks.example.com/", strict, resolvingTo("93.184.216.34", "10.0.0.7")))
        .isInstanceOf(WebhookTarget.RefusedException.class)
        .hasMessageContaining("10.0.0.7")
        .hasMessageContaining("private");
  }

  @Test
  void refusesPlainHttpExceptToLoopbackInLocalMode() throws Exception {
    assertThatThrownBy(
            () -> WebhookTarget.check("http://hooks.example.com/", strict, resolvingTo("8.8.8.8")))
        .hasMessageContaining("https");
    assertThatThrownBy(
            () -> WebhookTarget.check("http://hooks.example.com/", local, resolvingTo("8.8.8.8")))
        .hasMessageContaining("https");
    assertThatThrownBy(
            () -> WebhookTarget.check("http://localhost/", strict, resolvingTo("127.0.0.1")))
        .hasMessageContaining("loopback");
    assertThat(WebhookTarget.check("http://localhost:9/", local, resolvingTo("127.0.0.1")).port())
        .isEqualTo(9);
  }

  @Test
  void refusesMalformedAndOddUrls() {
    for (String url :
        new String[] {
          "",
          "ftp://x.example.com/",
          "https://user:pw@x.example.com/",
          "https:///a",
          "https://x.example.com/#frag",
          "not a url"
        }) {
      assertThatThrownBy(() -> WebhookTarget.check(url, strict, resolvingTo("8.8.8.8")))
          .as(url)
          .isInstanceOf(WebhookTarget.RefusedException.class);
    }
  }

  @Test
  void refusesTheMetadataAddressAsALiteral() {
    assertThatThrownBy(
            () ->
                WebhookTarget.check(
                    "https://[::ffff:169.254.169.254]/", strict, InetAddress::getAllByName))
        .hasMessageContaining("link-local");
  }

  private static WebhookTarget.Resolver resolvingTo(String... literals) {
    return host -> {
      InetAddress[] addresses = new InetAddress[literals.length];
      for (int i = 0; i < literals.length; i++) {
        addresses[i] = literal(literals[i]);
      }
      return addresses;
    };
  }

  private static InetAddress literal(String text) throws UnknownHostException {
    return InetAddress.getByName(text);
  }
}
