package dev.kiln.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kiln.model.Role;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
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
import org.pac4j.jwt.config.signature.SecretSignatureConfiguration;
import org.pac4j.jwt.config.signature.SignatureConfiguration;
import org.pac4j.jwt.profile.JwtGenerator;

/**
 * Issues (via pac4j) and verifies (via Nimbus) short-lived access tokens (HS256 JWTs). The first
 * key signs; every key verifies, so keys rotate without logging anyone out. Unsigned tokens ({@code
 * alg: none}) and tokens of other algorithms are refused. Thread-safe.
 */
public final class TokenService {
  static final String ISSUER = "kiln";
  static final String ROLE = "role";
  static final String ISSUED_AT_MILLIS = "iat_ms";

  private final JwtGenerator generator;
  private final List<MACVerifier> verifiers;
  private final Duration ttl;
  private final Clock clock;

  public TokenService(List<String> keys, Duration ttl, Clock clock) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one JWT signing key is required");
    }
    List<MACVerifier> macs = new ArrayList<>();
    for (String key : keys) {
      signature(key);
      try {
        macs.add(new MACVerifier(key.getBytes(StandardCharsets.UTF_8)));
      } catch (JOSEException e) {
        throw new IllegalArgumentException("a JWT signing key needs at least 32 bytes", e);
      }
    }
    this.generator = new JwtGenerator(signature(keys.get(0)));
    this.verifiers = List.copyOf(macs);
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

  /**
   * The claims of a valid, unexpired token signed by one of the keys; empty otherwise. Verified
   * with Nimbus directly rather than pac4j's authenticator, which logs the refused token's text.
   */
  public Optional<TokenClaims> verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !signedByOurKey(jwt)) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expiry = claims.getExpirationTime();
      Object issuedMillis = claims.getClaim(ISSUED_AT_MILLIS);
      if (!ISSUER.equals(claims.getIssuer())
          || expiry == null
          || !(issuedMillis instanceof Number issuedAt)
          || claims.getSubject() == null
          || !expiry.toInstant().isAfter(clock.instant())) {
        return Optional.empty();
      }
      return Optional.of(
          new TokenClaims(
              UUID.fromString(claims.getSubject()),
              Instant.ofEpochMilli(issuedAt.longValue()),
              expiry.toInstant()));
    } catch (ParseException | IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  private boolean signedByOurKey(SignedJWT jwt) {
    for (MACVerifier verifier : verifiers) {
      try {
        if (jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException unusable) {
        // Not verifiable with this key; try the next.
      }
    }
    return false;
  }

  /** A token and when it expires. */
  public record IssuedToken(String token, Instant expiresAt) {}

  /** What a verified token says. */
  public record TokenClaims(UUID accountId, Instant issuedAt, Instant expiresAt) {}
}
