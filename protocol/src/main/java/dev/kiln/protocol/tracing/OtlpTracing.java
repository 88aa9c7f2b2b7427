package dev.kiln.protocol.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the {@link Tracing} that exports spans over OTLP/HTTP ({@code {endpoint}/v1/traces}) in
 * batches, named by {@code service.name}; needs the OpenTelemetry SDK and OTLP exporter on the
 * class path (the services and the agent have them). Stateless.
 */
public final class OtlpTracing {
  /** The collector's base address, as OpenTelemetry's own variable names it. */
  public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  private OtlpTracing() {}

  /** Exporting tracing when {@code endpoint} is set, else {@link Tracing#off()}. */
  public static Tracing to(String service, URI endpoint) {
    if (endpoint == null) {
      return Tracing.off();
    }
    String base = endpoint.toString().replaceAll("/+$", "");
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, service))))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder()
                            .setEndpoint(base + "/v1/traces")
                            .setTimeout(Duration.ofSeconds(10))
                            .build())
                    .build())
            .build();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    return Tracing.with(sdk, () -> provider.shutdown().join(10, TimeUnit.SECONDS));
  }

  /** As {@link #to}, with the endpoint from {@value #ENDPOINT} in {@code env}. */
  public static Tracing fromEnvironment(String service, Map<String, String> env) {
    String endpoint = env.get(ENDPOINT);
    return to(
        service, endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.strip()));
  }
}
