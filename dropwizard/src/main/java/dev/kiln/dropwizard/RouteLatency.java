package dev.kiln.dropwizard;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Times every request Jersey answers into {@value #NAME}, labelled by method, route template (e.g.
 * {@code /v1/jobs/{id}}, never the ids themselves) and status class. Thread-safe.
 */
public final class RouteLatency implements ApplicationEventListener {
  public static final String NAME = "kiln_http_request_duration_seconds";

  /** Requests that matched no resource are counted under this route. */
  static final String UNMATCHED = "unmatched";

  private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final Histogram latency;

  public RouteLatency(PrometheusRegistry registry) {
    this.latency =
        Histogram.builder()
            .name(NAME)
            .help("Time to answer an HTTP request, by method, route template and status class")
            .unit(Unit.SECONDS)
            .labelNames("method", "route", "status")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .register(registry);
  }

  @Override
  public void onEvent(ApplicationEvent event) {
    // Nothing to do at application level.
  }

  @Override
  public RequestEventListener onRequest(RequestEvent start) {
    long started = System.nanoTime();
    return event -> {
      if (event.getType() == RequestEvent.Type.FINISHED) {
        double seconds = (System.nanoTime() - started) / 1e9;
        latency
            .labelValues(
                event.getContainerRequest().getMethod(),
                route(event.getUriInfo()),
                statusClass(
                    event.getContainerResponse() == null
                        ? 500
                        : event.getContainerResponse().getStatus()))
            .observe(seconds);
      }
    };
  }

  /** The matched resource method's full path template, or {@value #UNMATCHED}. */
  public static String route(ExtendedUriInfo uri) {
    ResourceMethod method = uri.getMatchedResourceMethod();
    if (method == null) {
      return UNMATCHED;
    }
    StringBuilder path = new StringBuilder();
    for (Resource resource = method.getParent();
        resource != null;
        resource = resource.getParent()) {
      path.insert(0, normalise(resource.getPath()));
    }
    return path.length() == 0 ? "/" : path.toString();
  }

  private static String normalise(String segment) {
    if (segment == null || segment.isEmpty() || segment.equals("/")) {
      return "";
    }
    String trimmed = segment.endsWith("/") ? segment.substring(0, segment.length() - 1) : segment;
    return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
  }

  /** {@code 2xx} for 200..299 and so on, without formatting a string per request. */
  static String statusClass(int status) {
    int hundreds = status / 100;
    return hundreds >= 1 && hundreds <= 5 ? STATUS_CLASSES[hundreds] : hundreds + "xx";
  }
}
