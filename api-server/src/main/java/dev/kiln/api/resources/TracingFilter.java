package dev.kiln.api.resources;

import dev.kiln.dropwizard.RouteLatency;
import dev.kiln.protocol.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import org.glassfish.jersey.server.ExtendedUriInfo;

/**
 * Opens a server span per request, named by method and route template, as the child of the caller's
 * {@code traceparent} when it sends one, and current while the resource runs (so a submitted job
 * records its trace). Does nothing when tracing is off. Thread-safe.
 */
@Priority(Priorities.AUTHENTICATION - 10)
public final class TracingFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String SPAN = TracingFilter.class.getName() + ".span";
  private static final String SCOPE = TracingFilter.class.getName() + ".scope";

  private final Tracing tracing;

  public TracingFilter(Tracing tracing) {
    this.tracing = tracing;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!tracing.enabled()) {
      return;
    }
    String route =
        request.getUriInfo() instanceof ExtendedUriInfo matched
            ? RouteLatency.route(matched)
            : request.getUriInfo().getPath();
    Span span =
        tracing
            .tracer()
            .spanBuilder(request.getMethod() + " " + route)
            .setParent(Tracing.parent(request.getHeaderString(Tracing.TRACEPARENT)))
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", request.getMethod())
            .setAttribute("http.route", route)
            .startSpan();
    request.setProperty(SPAN, span);
    request.setProperty(SCOPE, span.makeCurrent());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (!(request.getProperty(SPAN) instanceof Span span)) {
      return;
    }
    span.setAttribute("http.response.status_code", response.getStatus());
    if (response.getStatus() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    if (request.getProperty(SCOPE) instanceof Scope scope) {
      scope.close();
    }
    span.end();
  }
}
