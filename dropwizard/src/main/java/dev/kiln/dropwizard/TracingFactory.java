package dev.kiln.dropwizard;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kiln.protocol.tracing.OtlpTracing;
import dev.kiln.protocol.tracing.Tracing;
import io.dropwizard.core.setup.Environment;
import java.net.URI;

/**
 * The {@code tracing} section: the OTLP/HTTP collector spans go to ({@code otlpEndpoint}, such as
 * {@code http://127.0.0.1:4318}); absent, tracing is off and costs nothing.
 */
public class TracingFactory {
  private URI otlpEndpoint;

  @JsonProperty
  public URI getOtlpEndpoint() {
    return otlpEndpoint;
  }

  @JsonProperty
  public void setOtlpEndpoint(URI otlpEndpoint) {
    this.otlpEndpoint = otlpEndpoint;
  }

  /** The service's tracing, flushed and stopped with the service. */
  public Tracing build(Environment environment, String service) {
    Tracing tracing =
        OtlpTracing.to(
            service,
            otlpEndpoint == null || otlpEndpoint.toString().isBlank() ? null : otlpEndpoint);
    environment.lifecycle().manage(Lifecycles.managed(() -> {}, tracing::close));
    return tracing;
  }
}
