package dev.kiln.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenRedactionTest {
  @Test
  void redactsEveryAccessTokenParameterAndKeepsTheRest() {
    assertThat(TokenRedaction.query("access_token=abc.def.ghi"))
        .isEqualTo("access_token=[redacted]");
    assertThat(TokenRedaction.query("limit=5&access_token=abc&Access_Token=xyz&state=RUNNING"))
        .isEqualTo("limit=5&access_token=[redacted]&Access_Token=[redacted]&state=RUNNING");
    assertThat(TokenRedaction.query("access%5ftoken=abc")).isEqualTo("access%5ftoken=[redacted]");
    assertThat(TokenRedaction.query("access_token")).isEqualTo("access_token=[redacted]");
    assertThat(TokenRedaction.query("cursor=abc")).isEqualTo("cursor=abc");
    assertThat(TokenRedaction.query(null)).isNull();
  }

  @Test
  void tellsWhetherAQueryMayHoldAToken() {
    assertThat(TokenRedaction.mayHoldToken("x=1&access%5Ftoken=2")).isTrue();
    assertThat(TokenRedaction.mayHoldToken("limit=5")).isFalse();
    assertThat(TokenRedaction.mayHoldToken(null)).isFalse();
  }

  @Test
  void keepsOnlyTheSchemeOfAnAuthorizationHeader() {
    assertThat(TokenRedaction.authorization("Bearer eyJhbGciOi.x.y"))
        .isEqualTo("Bearer [redacted]");
    assertThat(TokenRedaction.authorization("kiln_secret")).isEqualTo("[redacted]");
  }
}
