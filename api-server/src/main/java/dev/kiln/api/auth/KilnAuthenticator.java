package dev.kiln.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kiln.db.AccountAuth;
import io.dropwizard.auth.Authenticator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Turns a bearer credential into a caller: an API key ({@code kiln_...}) or an access token
 * verified by pac4j. The account's state is checked on every request ({@link AccountStates}), so
 * disabling it or logging out takes effect at once. Thread-safe.
 */
public final class KilnAuthenticator implements Authenticator<String, KilnPrincipal> {
  private final TokenService tokens;
  private final ApiKeys apiKeys;
  private final AccountStates accounts;
  private final Clock clock;

  /**
   * Signature checks of tokens seen recently: a token's claims never change, so only its expiry
   * (checked on every use) and the account (read on every use) can turn it away later.
   */
  private final Cache<String, TokenService.TokenClaims> verified =
      Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(5)).build();

  public KilnAuthenticator(
      TokenService tokens, ApiKeys apiKeys, AccountStates accounts, Clock clock) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.accounts = accounts;
    this.clock = clock;
  }

  @Override
  public Optional<KilnPrincipal> authenticate(String credential) {
    if (credential == null || credential.isBlank() || credential.length() > 8192) {
      return Optional.empty();
    }
    if (ApiKeys.looksLikeKey(credential)) {
      return apiKeys.authenticate(credential);
    }
    TokenService.TokenClaims cached = verified.getIfPresent(credential);
    Optional<TokenService.TokenClaims> claims =
        cached != null ? Optional.of(cached) : tokens.verify(credential);
    if (claims.isEmpty() || !claims.get().expiresAt().isAfter(clock.instant())) {
      return Optional.empty();
    }
    if (cached == null) {
      verified.put(credential, claims.get());
    }
    TokenService.TokenClaims valid = claims.get();
    return accounts
        .find(valid.accountId())
        .filter(account -> account.acceptsTokenIssuedAt(valid.issuedAt()))
        .map(account -> principal(account, valid));
  }

  /**
   * Whether the credential {@code principal} was authenticated with still holds: the token is
   * unexpired and not logged out, its account enabled and its password unchanged since, or the API
   * key unrevoked. Long-lived requests (event streams) ask this while they run.
   */
  public boolean stillValid(KilnPrincipal principal) {
    if (principal.apiKeyId() != null) {
      return apiKeys.isActive(principal.apiKeyId());
    }
    return principal.tokenExpiresAt() != null
        && principal.tokenExpiresAt().isAfter(clock.instant())
        && accounts
            .find(principal.accountId())
            .filter(account -> account.acceptsTokenIssuedAt(principal.tokenIssuedAt()))
            .isPresent();
  }

  private static KilnPrincipal principal(AccountAuth account, TokenService.TokenClaims token) {
    return new KilnPrincipal(
        account.id(), account.email(), account.role(), null, token.issuedAt(), token.expiresAt());
  }
}
