package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.service.NotificationService;
import dev.kiln.client.api.NotificationView;
import dev.kiln.client.api.Page;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** The caller's in-app notifications, newest first. */
@Path("/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class NotificationResource {
  private final NotificationService notifications;

  public NotificationResource(NotificationService notifications) {
    this.notifications = notifications;
  }

  @GET
  public Page<NotificationView> list(
      @Auth KilnPrincipal principal,
      @QueryParam("unread") Boolean unread,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return notifications.list(
        principal.accountId(),
        Boolean.TRUE.equals(unread),
        Cursor.decode(cursor),
        Cursor.limit(limit));
  }

  @POST
  @Path("/{id}/read")
  public Response read(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    notifications.markRead(principal.accountId(), id);
    return Response.noContent().build();
  }

  @POST
  @Path("/read-all")
  public Response readAll(@Auth KilnPrincipal principal) {
    notifications.markAllRead(principal.accountId());
    return Response.noContent().build();
  }
}
