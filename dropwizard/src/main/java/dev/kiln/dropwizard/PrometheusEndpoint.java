package dev.kiln.dropwizard;

import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A service's metrics in the Prometheus text format on its admin port at {@value #PATH}: the JVM's
 * and those Kiln registers in {@link #registry()}, through the Prometheus Java client. Thread-safe.
 */
public final class PrometheusEndpoint {
  /** The admin path Prometheus scrapes. */
  public static final String PATH = "/prometheus";

  private final PrometheusRegistry registry;

  private PrometheusEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** Registers the JVM's metrics and serves the registry on the admin port. */
  public static PrometheusEndpoint install(Environment environment) {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    environment.admin().addServlet("prometheus", new Scrape(registry)).addMapping(PATH);
    return new PrometheusEndpoint(registry);
  }

  /** Where Kiln's own metrics go. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Answers a scrape with every metric of the registry. */
  private static final class Scrape extends HttpServlet {
    private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();
    private final transient PrometheusRegistry registry;

    Scrape(PrometheusRegistry registry) {
      this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType(TEXT.getContentType());
      response.setHeader("Cache-Control", "no-store");
      try (OutputStream out = response.getOutputStream()) {
        TEXT.write(out, registry.scrape());
      }
    }
  }
}
