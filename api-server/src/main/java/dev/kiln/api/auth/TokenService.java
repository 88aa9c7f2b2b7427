package dev.kiln.api.auth;

import com.nimbusds.jose.JWSAlgorithm;
import dev.kiln.model.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.jwt.config.signature.SecretSignatureConfiguration;
import org.pac4j.jwt.config.signature.SignatureConfiguration;
import org.pac4j.jwt.credentials.authenticator.JwtAuthenticator;
import org.pac4j.jwt.profile.JwtGenerator;

/**
 * Issues and verifies short-lived access tokens (HS256 JWTs, via pac4j). The first key signs; every
 * key verifies, so keys rotate without logging anyone out. Unsigned tokens ({@code alg: none}) and
 * tokens of other algorithms are refused. Thread-safe.
 */
public final class TokenService {
  static final String ISSUER = "kiln";
  static final String ROLE = "role";
  static final String ISSUED_AT_MILLIS = "iat_ms";

  private final JwtGenerator generator;
  private final JwtAuthenticator authenticator;
  private final Duration ttl;
  private final Clock clock;

  public TokenService(List<String> keys, Duration ttl, Clock clock) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one JWT signing key is required");
    }
    List<SignatureConfiguration> verifiers = new ArrayList<>();
    for (String key : keys) {
      verifiers.add(signature(key));
    }
    this.generator = new JwtGenerator(verifiers.get(0));
    this.authenticator = new JwtAuthenticator(verifiers);
    this.authenticator.init();
    this.ttl = ttl;
    this.clock = clock;
  }

  private static SignatureConfiguration signature(String key) {
    if (key == null || key.length() < 32) {
      throw new IllegalArgumentException("a JWT signing key needs at least 32 characters");
    }
    return new SecretSignatureConfiguration(key, JWSAlgorithm.HS256);
  }

  /** A new token for the account; it expires after the configured lifetime. */
  public IssuedToken issue(UUID accountId, Role role) {
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    Map<String, Object> claims = new HashMap<>();
    claims.put("sub", accountId.toString());
    claims.put("iss", ISSUER);
    claims.put("iat", Date.from(now));
    claims.put("exp", Date.from(expires));
    claims.put(ISSUED_AT_MILLIS, now.toEpochMilli());
    claims.put(ROLE, role.name());
    claims.put("jti", UUID.randomUUID().toString());
    return new IssuedToken(generator.generate(claims), expires);
  }

  /** The claims of a valid, unexpired token signed by one of the keys; empty otherwise. */
  public Optional<TokenClaims> verify(String token) {
    UserProfile profile;
    try {
      profile = authenticator.validateToken(token);
    } catch (RuntimeException invalid) {
      return Optional.empty();
    }
    if (profile == null) {
      return Optional.empty();
    }
    try {
      Object issuer = profile.getAttribute("iss");
      Object expires = profile.getAttribute("exp");
      Object issuedAt = profile.getAttribute(ISSUED_AT_MILLIS);
      if (!ISSUER.equals(String.valueOf(issuer))
          || !(expires instanceof Date expiry)
          || !(issuedAt instanceof Number issuedMillis)) {
        return Optional.empty();
      }
      if (!expiry.toInstant().isAfter(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(
          new TokenClaims(
              UUID.fromString(profile.getId()),
              Instant.ofEpochMilli(issuedMillis.longValue()),
              expiry.toInstant()));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  /** A token and when it expires. */
  public record IssuedToken(String token, Instant expiresAt) {}

  /** What a verified token says. */
  public record TokenClaims(UUID accountId, Instant issuedAt, Instant expiresAt) {}
}
