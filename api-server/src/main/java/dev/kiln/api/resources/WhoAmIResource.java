package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** The cheapest authenticated call: who the credential stands for (no storage touched). */
@Path("/v1/whoami")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class WhoAmIResource {
  @GET
  public Map<String, Object> whoami(@Auth KilnPrincipal principal) {
    return Map.of(
        "accountId", principal.accountId(),
        "email", principal.email(),
        "role", principal.role().name(),
        "via", principal.apiKeyId() == null ? "token" : "api-key");
  }
}
