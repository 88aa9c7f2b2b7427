package dev.kiln.protocol.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process's tracing: OpenTelemetry spans, and the W3C {@code traceparent} that carries a trace
 * from the API's request through the job's row and the shard task to the agent. Off by default: the
 * no-op implementation records nothing and exports nothing, and {@link #traceParent} answers null,
 * so nothing is stored or sent either. {@link OtlpTracing} builds the exporting one. Thread-safe.
 */
public final class Tracing implements AutoCloseable {
  /** The instrumentation scope of every Kiln span. */
  public static final String SCOPE = "dev.kiln";

  /** The header, and the shard task field, that carry a trace. */
  public static final String TRACEPARENT = "traceparent";

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Map<String, String>> FROM_MAP =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;
  private final boolean enabled;
  private final Runnable shutdown;

  private Tracing(OpenTelemetry openTelemetry, boolean enabled, Runnable shutdown) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.enabled = enabled;
    this.shutdown = shutdown;
  }

  /** No tracing: no spans recorded, nothing exported, no trace context carried. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), false, () -> {});
  }

  /** Tracing through {@code openTelemetry} (an SDK the caller built, such as a test's). */
  public static Tracing with(OpenTelemetry openTelemetry, Runnable shutdown) {
    return new Tracing(openTelemetry, true, shutdown);
  }

  public boolean enabled() {
    return enabled;
  }

  public Tracer tracer() {
    return tracer;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** The context a {@code traceparent} names (the root context when it is null or malformed). */
  public static Context parent(String traceParent) {
    if (traceParent == null || traceParent.isBlank()) {
      return Context.root();
    }
    return W3C.extract(Context.root(), Map.of(TRACEPARENT, traceParent), FROM_MAP);
  }

  /** The {@code traceparent} of {@code span}, or null when it records nothing (tracing off). */
  public static String traceParent(Span span) {
    if (!span.getSpanContext().isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3C.inject(Context.root().with(span), carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  /** The {@code traceparent} of the current span, if one is recording. */
  public static Optional<String> currentTraceParent() {
    return Optional.ofNullable(traceParent(Span.current()));
  }

  /** The header names {@link #parent} reads, for those who pass headers on. */
  public static List<String> fields() {
    return List.copyOf(W3C.fields());
  }

  /** Exports what is still buffered and stops. */
  @Override
  public void close() {
    shutdown.run();
  }
}
