package dev.kiln.cli.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * One saved login.
 *
 * @param url the API's base URL
 * @param email whom the credential stands for
 * @param apiKey the credential (an API key, {@code kiln_...})
 * @param apiKeyId the key's id when {@code kiln login} created it (revoked again by {@code kiln
 *     logout}), else {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Profile(String url, String email, String apiKey, UUID apiKeyId) {}
