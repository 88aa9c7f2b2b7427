package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.service.WebhookService;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.WebhookDeliveryView;
import dev.kiln.client.api.WebhookRequest;
import dev.kiln.client.api.WebhookView;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/** The caller's webhooks, their deliveries, test events and redeliveries. */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class WebhookResource {
  private final WebhookService webhooks;

  public WebhookResource(WebhookService webhooks) {
    this.webhooks = webhooks;
  }

  /** Creates a webhook; the answer is the only time its signing secret is shown. */
  @POST
  public Response create(@Auth KilnPrincipal principal, @NotNull @Valid WebhookRequest request) {
    return Response.status(201)
        .entity(webhooks.create(principal.accountId(), request.url(), request.description()))
        .build();
  }

  @GET
  public List<WebhookView> list(@Auth KilnPrincipal principal) {
    return webhooks.list(principal.accountId());
  }

  @GET
  @Path("/{id}")
  public WebhookView get(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return webhooks.get(principal.accountId(), id);
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    webhooks.delete(principal.accountId(), id);
    return Response.noContent().build();
  }

  /** Turns a webhook that was disabled after days of failures on again. */
  @POST
  @Path("/{id}/enable")
  public WebhookView enable(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return webhooks.enable(principal.accountId(), id);
  }

  /** Queues a {@code webhook.test} event; its delivery shows how the receiver answered. */
  @POST
  @Path("/{id}/test")
  public Response test(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return Response.status(202).entity(webhooks.sendTest(principal.accountId(), id)).build();
  }

  @GET
  @Path("/{id}/deliveries")
  public Page<WebhookDeliveryView> deliveries(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return webhooks.deliveries(
        principal.accountId(), id, Cursor.decode(cursor), Cursor.limit(limit));
  }

  @GET
  @Path("/{id}/deliveries/{deliveryId}")
  public WebhookDeliveryView delivery(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @PathParam("deliveryId") UUID deliveryId) {
    return webhooks.delivery(principal.accountId(), id, deliveryId);
  }

  /** Sends a delivery again now, with the same event id. */
  @POST
  @Path("/{id}/deliveries/{deliveryId}/redeliver")
  public Response redeliver(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @PathParam("deliveryId") UUID deliveryId) {
    return Response.status(202)
        .entity(webhooks.redeliver(principal.accountId(), id, deliveryId))
        .build();
  }
}
