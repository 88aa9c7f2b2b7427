package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.service.NotificationService;
import dev.kiln.client.api.NotificationPreferencesView;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Which e-mails the caller's account receives. */
@Path("/v1/account/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class NotificationPreferenceResource {
  private final NotificationService notifications;

  public NotificationPreferenceResource(NotificationService notifications) {
    this.notifications = notifications;
  }

  @GET
  public NotificationPreferencesView get(@Auth KilnPrincipal principal) {
    return notifications.preferences(principal.accountId());
  }

  @PUT
  public NotificationPreferencesView put(
      @Auth KilnPrincipal principal, @NotNull @Valid NotificationPreferencesView preferences) {
    return notifications.savePreferences(principal.accountId(), preferences);
  }
}
