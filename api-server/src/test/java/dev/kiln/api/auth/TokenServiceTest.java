package dev.kiln.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.model.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
  private static final String KEY = "k".repeat(40);
  private static final String OTHER_KEY = "o".repeat(40);
  private final Clock clock = Clock.systemUTC();
  private final TokenService tokens = new TokenService(List.of(KEY), Duration.ofMinutes(15), clock);
  private final UUID account = UUID.randomUUID();

  @Test
  void acceptsItsOwnFreshToken() {
    String token = tokens.issue(account, Role.USER).token();

    var claims = tokens.verify(token);

    assertThat(claims).isPresent();
    assertThat(claims.get().accountId()).isEqualTo(account);
    assertThat(claims.get().expiresAt()).isAfter(Instant.now().plusSeconds(14 * 60));
  }

  @Test
  void refusesAnExpiredToken() {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    String token =
        new TokenService(List.of(KEY), Duration.ofMinutes(15), past)
            .issue(account, Role.USER)
            .token();

    assertThat(tokens.verify(token)).isEmpty();
  }

  @Test
  void refusesATokenExpiredByTheInjectedClock() {
    String token = tokens.issue(account, Role.USER).token();
    Clock later = Clock.offset(clock, Duration.ofMinutes(16));

    assertThat(new TokenService(List.of(KEY), Duration.ofMinutes(15), later).verify(token))
        .isEmpty();
  }

  @Test
  void refusesATamperedPayload() {
    String[] parts = tokens.issue(account, Role.USER).token().split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace(account.toString(), UUID.randomUUID().toString());
    String forged =
        parts[0]
            + "."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[2];

    assertThat(tokens.verify(forged)).isEmpty();
  }

  @Test
  void refusesATamperedSignature() {
    String token = tokens.issue(account, Role.USER).token();
    char last = token.charAt(token.length() - 2);
    String forged =
        token.substring(0, token.length() - 2)
            + (last == 'A' ? 'B' : 'A')
            + token.charAt(token.length() - 1);

    assertThat(tokens.verify(forged)).isEmpty();
  }

  @Test
  void refusesAnUnsignedToken() {
    String[] parts = tokens.issue(account, Role.USER).token().split("\\.");
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(tokens.verify(header + "." + parts[1] + ".")).isEmpty();
  }

  @Test
  void refusesATokenSignedWithAnotherKey() {
    String token =
        new TokenService(List.of(OTHER_KEY), Duration.ofMinutes(15), clock)
            .issue(account, Role.USER)
            .token();

    assertThat(tokens.verify(token)).isEmpty();
  }

  @Test
  void keepsAcceptingTokensOfAnOlderKeyDuringRotation() {
    String old = tokens.issue(account, Role.USER).token();
    TokenService rotated = new TokenService(List.of(OTHER_KEY, KEY), Duration.ofMinutes(15), clock);

    assertThat(rotated.verify(old)).isPresent();
    assertThat(tokens.verify(rotated.issue(account, Role.USER).token())).isEmpty();
  }

  @Test
  void refusesGarbage() {
    assertThat(tokens.verify("not-a-token")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify("")).isEmpty();
  }
}
