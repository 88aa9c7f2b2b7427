package dev.kiln.api.resources;

import dev.kiln.api.errors.ApiException;
import dev.kiln.api.payments.LocalPayments;
import dev.kiln.api.service.CreditService;
import dev.kiln.model.credits.StripeSignature;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;

/**
 * What the payment provider calls: its signed webhook (no login; the signature is the proof), and
 * for the local fake provider its checkout page.
 */
@Path("/v1/payments")
public class PaymentResource {
  private final CreditService credits;

  public PaymentResource(CreditService credits) {
    this.credits = credits;
  }

  /** Stripe's webhook: {@code checkout.session.completed} credits the paid amount once. */
  @POST
  @Path("/stripe/webhook")
  @Consumes(MediaType.WILDCARD)
  public Response webhook(@HeaderParam(StripeSignature.HEADER) String signature, String body) {
    credits.confirm(signature, body == null ? "" : body);
    return Response.noContent().build();
  }

  /** The local fake checkout: a page with one button, and a way back without paying. */
  @GET
  @Path("/local/{session}")
  @Produces(MediaType.TEXT_HTML)
  public Response localPage(@PathParam("session") String session) {
    BigDecimal amount = local().amountOf(session).orElseThrow(() -> unknownCheckout(session));
    return Response.ok(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"
                + "<title>Kiln local checkout</title></head><body><main><h1>Local checkout</h1>"
                + "<p>No money moves: paying adds the credits at once.</p><form method=\"post\""
                + " action=\""
                + LocalPayments.PAGE_PATH
                + session
                + "/pay\"><button type=\"submit\">Pay "
                + amount.setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()
                + " USD</button></form><p><a href=\""
                + LocalPayments.CANCEL_PATH
                + "\">Back to Kiln without paying</a></p></main></body></html>")
        .build();
  }

  /**
   * "Pays" a local checkout: the signed event goes through the same path as Stripe's, then the
   * buyer goes back to the web UI's credits page, as Stripe sends them to its success URL.
   */
  @POST
  @Path("/local/{session}/pay")
  @Produces(MediaType.TEXT_HTML)
  public Response localPay(@PathParam("session") String session, @Context UriInfo uriInfo) {
    LocalPayments.SignedEvent event =
        local().pay(session).orElseThrow(() -> unknownCheckout(session));
    credits.confirm(event.signatureHeader(), event.body());
    return Response.seeOther(uriInfo.getBaseUri().resolve(LocalPayments.SUCCESS_PATH)).build();
  }

  private LocalPayments local() {
    return credits
        .localPayments()
        .orElseThrow(
            () -> ApiException.notFound("The local checkout is off on this installation."));
  }

  private static ApiException unknownCheckout(String session) {
    return ApiException.notFound("No open local checkout " + session + "; open a new one.");
  }
}
