package dev.kiln.api.resources;

import dev.kiln.api.service.NotificationService;
import dev.kiln.model.notify.NotificationKind;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The unsubscribe link of e-mails: its signed token turns that kind of e-mail off without a login.
 * GET answers a short page for people; POST is the one-click unsubscribe of RFC 8058 that mail
 * clients send.
 */
@Path("/v1/notifications/unsubscribe")
public class UnsubscribeResource {
  private final NotificationService notifications;

  public UnsubscribeResource(NotificationService notifications) {
    this.notifications = notifications;
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response page(@QueryParam("token") String token) {
    NotificationKind kind = notifications.unsubscribe(token);
    return Response.ok(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>"
                + "<body><p>You will receive no more "
                + describe(kind)
                + " e-mails from Kiln. Turn them on again in your account's notification"
                + " settings.</p></body></html>")
        .build();
  }

  @POST
  public Response oneClick(@QueryParam("token") String token) {
    notifications.unsubscribe(token);
    return Response.noContent().build();
  }

  private static String describe(NotificationKind kind) {
    return switch (kind) {
      case JOB_SUCCEEDED -> "job success";
      case JOB_FAILED -> "job failure";
      case BUDGET_WARNING -> "budget warning";
      case BUDGET_EXCEEDED -> "budget reached";
    };
  }
}
