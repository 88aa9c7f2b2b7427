package dev.kiln.model.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stripe's signatures, checked on a recorded event and its recorded header. */
class StripeSignatureTest {
  private static final String SECRET = "whsec_test_recorded";
  private static final Instant SIGNED_AT = Instant.ofEpochSecond(1_767_225_600);

  private static String resource(String name) throws IOException {
    try (InputStream in = StripeSignatureTest.class.getResourceAsStream("/stripe/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }

  @Test
  void theRecordedEventVerifiesWithinFiveMinutesOfItsTimestamp() throws IOException {
    String body = resource("event.json");
    String header = resource("event.signature");
    assertThatCode(() -> StripeSignature.verify(SECRET, header, body, SIGNED_AT.plusSeconds(299)))
        .doesNotThrowAnyException();
    assertThat(StripeSignature.header(SECRET, SIGNED_AT.getEpochSecond(), body))
        .isEqualTo(header.substring(0, header.indexOf(",v0=")));
  }

  @Test
  void aReplayAfterTheToleranceIsRefused() throws IOException {
    String body = resource("event.json");
    String header = resource("event.signature");
    assertThatThrownBy(
            () -> StripeSignature.verify(SECRET, header, body, SIGNED_AT.plusSeconds(301)))
        .isInstanceOf(StripeSignature.InvalidSignatureException.class)
        .hasMessageContaining("301 s old");
  }

  @Test
  void aChangedBodyAnotherSecretOrNoHeaderIsRefused() throws IOException {
    String body = resource("event.json");
    String header = resource("event.signature");
    for (String wrong : List.of(body.replace("1500", "150000"), body + " ")) {
      assertThatThrownBy(() -> StripeSignature.verify(SECRET, header, wrong, SIGNED_AT))
          .hasMessageContaining("no signature matches");
    }
    assertThatThrownBy(() -> StripeSignature.verify("whsec_other", header, body, SIGNED_AT))
        .hasMessageContaining("no signature matches");
    assertThatThrownBy(() -> StripeSignature.verify(SECRET, null, body, SIGNED_AT))
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> StripeSignature.verify(SECRET, "v1=abc", body, SIGNED_AT))
        .hasMessageContaining("no t=");
  }

  @Test
  void anEstimateReservesEveryShardAtTheHourlyPrice() {
    CreditEstimate estimate = new CreditEstimate(3600, 0.526);
    assertThat(estimate.reserveUsd(List.of(10L), 64)).isEqualByComparingTo("0.526");
    assertThat(estimate.reserveUsd(List.of(129L, 0L), 64))
        .isEqualByComparingTo(new BigDecimal("2.104"));
    assertThat(estimate.reserveUsd(List.of(1L << 40), Long.MAX_VALUE))
        .isEqualByComparingTo("0.526");
  }
}
