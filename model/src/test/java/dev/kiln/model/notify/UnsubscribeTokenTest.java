package dev.kiln.model.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UnsubscribeTokenTest {
  private static final String KEY = "a key of the tests that is long enough";

  @Test
  void aSignedTokenComesBackAsItWasMade() {
    UnsubscribeToken token = new UnsubscribeToken(UUID.randomUUID(), NotificationKind.JOB_FAILED);

    assertThat(UnsubscribeToken.verify(KEY, token.sign(KEY))).contains(token);
  }

  @Test
  void anyChangeOrAnotherKeyIsRefused() {
    String signed =
        new UnsubscribeToken(UUID.randomUUID(), NotificationKind.JOB_SUCCEEDED).sign(KEY);
    String otherPayload =
        new UnsubscribeToken(UUID.randomUUID(), NotificationKind.JOB_SUCCEEDED).sign(KEY);
    String forged =
        otherPayload.substring(0, otherPayload.indexOf('.'))
            + signed.substring(signed.indexOf('.'));

    assertThat(UnsubscribeToken.verify("another key entirely, also long", signed)).isEmpty();
    assertThat(UnsubscribeToken.verify(KEY, forged)).isEmpty();
    assertThat(UnsubscribeToken.verify(KEY, "garbage")).isEmpty();
    assertThat(UnsubscribeToken.verify(KEY, "a.b")).isEmpty();
    assertThat(UnsubscribeToken.verify(KEY, null)).isEmpty();
  }
}
