package dev.kiln.client.api;

/**
 * A payment page the buyer is sent to; credits arrive when the payment provider confirms it.
 *
 * @param sessionId the provider's checkout session
 * @param url where to pay
 */
public record CheckoutView(String sessionId, String url) {}
