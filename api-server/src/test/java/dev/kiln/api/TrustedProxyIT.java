package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client address the throttles count: {@code X-Forwarded-For}'s rightmost untrusted entry
 * behind a trusted proxy, the peer otherwise. Seen through the sign-up limit per address.
 */
@ExtendWith(KilnStackExtension.class)
class TrustedProxyIT {
  private static final int PER_ADDRESS = 2;
  private static ApiHarness behindAlb;
  private static ApiHarness direct;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    // Overrides are system properties until the app stops: start the one without proxies first,
    // and give each app overrides of its own (each remembers the value it replaced).
    direct = ApiHarness.start(stack, limit());
    behindAlb =
        ApiHarness.start(
            stack,
            limit(),
            ConfigOverride.config("http.trustedProxies", "127.0.0.0/8,10.0.0.0/16"));
  }

  private static ConfigOverride limit() {
    return ConfigOverride.config("auth.signupsPerAddress", String.valueOf(PER_ADDRESS));
  }

  @AfterAll
  static void stop() {
    if (behindAlb != null) {
      behindAlb.close();
    }
    if (direct != null) {
      direct.close();
    }
  }

  private static int signup(ApiHarness api, String forwardedFor) {
    Map<String, String> body =
        Map.of(
            "email", "proxy-" + UUID.randomUUID() + "@example.com", "password", "not so guessable");
    return api.call(
            "POST",
            "/api/v1/auth/signup",
            null,
            api.toJson(body),
            Map.of("X-Forwarded-For", forwardedFor))
        .status();
  }

  @Test
  void behindATrustedProxyTheAddressItAppendedCountsNotTheClientsOwnEntries() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      assertThat(signup(behindAlb, "198.51.100." + i + ", 203.0.113.5")).isEqualTo(201);
    }
    assertThat(signup(behindAlb, "198.51.100.77, 203.0.113.5"))
        .as("a new leftmost entry does not escape the count")
        .isEqualTo(429);
    assertThat(signup(behindAlb, "6.6.6.6, 203.0.113.5, 10.0.4.4"))
        .as("an inner trusted hop is skipped")
        .isEqualTo(429);
    assertThat(signup(behindAlb, "203.0.113.5, 203.0.113.6"))
        .as("another client behind the proxy has its own count")
        .isEqualTo(201);
  }

  @Test
  void withNoTrustedProxyTheHeaderIsIgnored() {
    for (int i = 0; i < PER_ADDRESS; i++) {
      assertThat(signup(direct, "192.0.2." + i)).isEqualTo(201);
    }
    assertThat(signup(direct, "192.0.2.200"))
        .as("the peer (127.0.0.1) is counted whatever the header says")
        .isEqualTo(429);
  }
}
