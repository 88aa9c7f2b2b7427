package dev.kiln.api.auth;

import dev.kiln.api.db.ApiKeyDao;
import dev.kiln.api.db.ApiKeyOwner;
import dev.kiln.api.db.ApiKeyRow;
import dev.kiln.api.errors.ApiException;
import dev.kiln.client.api.ApiKeyView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * API keys for programs: {@code kiln_<32 random characters>}, shown once, stored as SHA-256 (the
 * keys are random, so a slow hash adds nothing), named, revocable, with a last-used time written at
 * most once a minute. Thread-safe.
 */
public final class ApiKeys {
  public static final String PREFIX = "kiln_";
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final ApiKeyDao dao;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiKeys(Jdbi jdbi, Clock clock) {
    this.dao = jdbi.onDemand(ApiKeyDao.class);
    this.clock = clock;
  }

  public static boolean looksLikeKey(String credential) {
    return credential.startsWith(PREFIX);
  }

  public ApiKeyView create(UUID accountId, String name) {
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String prefix = key.substring(0, PREFIX.length() + 6);
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    dao.insert(id, accountId, name, prefix, sha256(key), now);
    return new ApiKeyView(id, name, prefix, now, null, null, key);
  }

  public List<ApiKeyView> list(UUID accountId) {
    return dao.listFor(accountId).stream().map(ApiKeys::view).toList();
  }

  public void revoke(UUID accountId, UUID keyId) {
    if (dao.revoke(keyId, accountId, clock.instant()) == 0 && dao.countFor(keyId, accountId) == 0) {
      throw ApiException.notFound("No API key " + keyId + " in your account.");
    }
  }

  /** The caller a presented key stands for; empty when unknown, revoked or its account disabled. */
  public Optional<KilnPrincipal> authenticate(String key) {
    if (key.length() > 200) {
      return Optional.empty();
    }
    Optional<ApiKeyOwner> found = dao.findActive(sha256(key));
    if (found.isEmpty() || found.get().disabled()) {
      return Optional.empty();
    }
    ApiKeyOwner owner = found.get();
    Instant now = clock.instant();
    if (owner.lastUsedAt() == null || owner.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
      dao.touch(owner.keyId(), now);
    }
    return Optional.of(
        KilnPrincipal.ofApiKey(owner.accountId(), owner.email(), owner.role(), owner.keyId()));
  }

  /** Whether the key is still unrevoked and its account enabled. */
  public boolean isActive(UUID keyId) {
    return dao.countActive(keyId) > 0;
  }

  private static ApiKeyView view(ApiKeyRow row) {
    return new ApiKeyView(
        row.id(),
        row.name(),
        row.prefix(),
        row.createdAt(),
        row.lastUsedAt(),
        row.revokedAt(),
        null);
  }

  static String sha256(String key) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
