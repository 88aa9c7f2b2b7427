package dev.kiln.model.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  /** The example of the Standard Webhooks specification's reference libraries. */
  @Test
  void signsTheSpecificationsExample() {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    String signature =
        WebhookSignature.sign(
            secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void verifiesItsOwnSignaturesAndRefusesChangedOnes() {
    String secret = WebhookSignature.newSecret(new SecureRandom());
    String header = WebhookSignature.sign(secret, "evt_1", 1700000000, "{\"a\":1}");

    assertThat(secret).startsWith("whsec_");
    assertThat(WebhookSignature.verify(secret, "evt_1", 1700000000, "{\"a\":1}", header)).isTrue();
    assertThat(WebhookSignature.verify(secret, "evt_1", 1700000000, "{\"a\":2}", header)).isFalse();
    assertThat(WebhookSignature.verify(secret, "evt_2", 1700000000, "{\"a\":1}", header)).isFalse();
    assertThat(WebhookSignature.verify(secret, "evt_1", 1700000001, "{\"a\":1}", header)).isFalse();
    assertThat(
            WebhookSignature.verify(
                WebhookSignature.newSecret(new SecureRandom()),
                "evt_1",
                1700000000,
                "{\"a\":1}",
                header))
        .isFalse();
    assertThat(
            WebhookSignature.verify(
                secret, "evt_1", 1700000000, "{\"a\":1}", "v1,bm90IGl0 " + header))
        .isTrue();
  }
}
