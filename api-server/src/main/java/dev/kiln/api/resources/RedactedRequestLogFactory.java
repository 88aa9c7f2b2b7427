package dev.kiln.api.resources;

import io.dropwizard.request.logging.RequestLogFactory;
import org.eclipse.jetty.server.RequestLog;

/**
 * Builds the configured request log (the {@code server.requestLog} section) and puts it behind
 * {@link RedactedRequestLog}, so no configuration can write a credential to it. Immutable.
 */
public final class RedactedRequestLogFactory implements RequestLogFactory<RequestLog> {
  private final RequestLogFactory<?> configured;

  public RedactedRequestLogFactory(RequestLogFactory<?> configured) {
    this.configured = configured;
  }

  @Override
  public boolean isEnabled() {
    return configured.isEnabled();
  }

  @Override
  public RequestLog build(String name) {
    return new RedactedRequestLog(configured.build(name));
  }
}
