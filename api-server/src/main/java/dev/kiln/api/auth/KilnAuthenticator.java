package dev.kiln.api.auth;

import dev.kiln.api.db.AccountAuth;
import dev.kiln.api.db.AccountAuthDao;
import io.dropwizard.auth.Authenticator;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns a bearer credential into a caller: an API key ({@code kiln_...}) or an access token
 * verified by pac4j. The account is read on every request, so disabling it or logging out takes
 * effect at once. Thread-safe.
 */
public final class KilnAuthenticator implements Authenticator<String, KilnPrincipal> {
  private final TokenService tokens;
  private final ApiKeys apiKeys;
  private final AccountAuthDao accounts;

  public KilnAuthenticator(TokenService tokens, ApiKeys apiKeys, Jdbi jdbi) {
    this.tokens = tokens;
    this.apiKeys = apiKeys;
    this.accounts = jdbi.onDemand(AccountAuthDao.class);
  }

  @Override
  public Optional<KilnPrincipal> authenticate(String credential) {
    if (credential == null || credential.isBlank() || credential.length() > 8192) {
      return Optional.empty();
    }
    if (ApiKeys.looksLikeKey(credential)) {
      return apiKeys.authenticate(credential);
    }
    return tokens
        .verify(credential)
        .flatMap(
            claims ->
                accounts
                    .find(claims.accountId())
                    .filter(account -> account.acceptsTokenIssuedAt(claims.issuedAt()))
                    .map(KilnAuthenticator::principal));
  }

  private static KilnPrincipal principal(AccountAuth account) {
    return new KilnPrincipal(account.id(), account.email(), account.role(), null);
  }
}
