package dev.kiln.cli.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Lets the SDK's {@code CloudWatchClient} reach moto_server's CloudWatch: the SDK speaks Smithy RPC
 * v2 CBOR ({@code POST /service/<service>/operation/<operation>}, CBOR bodies), moto_server serves
 * the same operations over AWS JSON 1.0 ({@code POST /}, {@code X-Amz-Target}, JSON bodies). This
 * interceptor rewrites each request into the JSON protocol and each answer back into CBOR, field
 * for field: it changes the encoding, never the data, so what the client reads is what moto stored
 * and computed. Timestamps travel as epoch seconds in both protocols.
 *
 * <p>One exception: moto computes no percentiles and fails a whole {@code GetMetricData} call that
 * asks for one ({@code p95}). The bridge takes such queries out of the call and answers them with
 * no data points, as CloudWatch answers a query it has no data for; the other queries of the call
 * reach moto unchanged. Thread-safe.
 */
final class CloudWatchJsonBridge implements ExecutionInterceptor {

  private static final Pattern RPC_PATH =
      Pattern.compile("/service/(GraniteServiceVersion20100801)/operation/([A-Za-z]+)");
  private static final String TARGET_PREFIX = "GraniteServiceVersion20100801.";
  private static final Pattern PERCENTILE = Pattern.compile("p\\d+(\\.\\d+)?");
  private static final ExecutionAttribute<List<String>> UNANSWERED =
      new ExecutionAttribute<>("CloudWatchJsonBridge.percentileQueries");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORMapper CBOR = new CBORMapper();

  @Override
  public SdkHttpRequest modifyHttpRequest(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    SdkHttpRequest request = context.httpRequest();
    Matcher rpc = RPC_PATH.matcher(request.encodedPath());
    if (!rpc.matches()) {
      return request;
    }
    byte[] json = jsonBody(context, attributes);
    return request.toBuilder()
        .encodedPath("/")
        .removeHeader("smithy-protocol")
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("Accept", "application/x-amz-json-1.0")
        .putHeader("X-Amz-Target", rpc.group(1) + "." + rpc.group(2))
        .putHeader("Content-Length", Integer.toString(json.length))
        .build();
  }

  @Override
  public Optional<RequestBody> modifyHttpContent(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    SdkHttpRequest request = context.httpRequest();
    if (!RPC_PATH.matcher(request.encodedPath()).matches() && !bridged(request)) {
      return context.requestBody();
    }
    return Optional.of(RequestBody.fromBytes(jsonBody(context, attributes)));
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (!bridged(context.httpRequest())) {
      return context.httpResponse();
    }
    return context.httpResponse().toBuilder()
        .removeHeader("Content-Length")
        .putHeader("Content-Type", "application/cbor")
        .putHeader("smithy-protocol", "rpc-v2-cbor")
        .build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    if (!bridged(context.httpRequest()) || context.responseBody().isEmpty()) {
      return context.responseBody();
    }
    byte[] json;
    try (InputStream body = context.responseBody().get()) {
      json = body.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read moto's answer", e);
    }
    try {
      JsonNode tree = json.length == 0 ? JSON.createObjectNode() : JSON.readTree(json);
      List<String> unanswered = attributes.getAttribute(UNANSWERED);
      if (unanswered != null && tree.has("MetricDataResults")) {
        ArrayNode results = (ArrayNode) tree.get("MetricDataResults");
        for (String id : unanswered) {
          ObjectNode empty = results.addObject();
          empty.put("Id", id).put("Label", id).put("StatusCode", "Complete");
          empty.putArray("Timestamps");
          empty.putArray("Values");
        }
      }
      return Optional.of(new ByteArrayInputStream(CBOR.writeValueAsBytes(tree)));
    } catch (IOException e) {
      String text = new String(json, StandardCharsets.UTF_8);
      throw new IllegalStateException(
          "moto answered "
              + context.httpResponse().statusCode()
              + " with no JSON to a request with headers "
              + context.httpRequest().headers()
              + ": "
              + text.substring(0, Math.min(600, text.length())),
          e);
    }
  }

  private static boolean bridged(SdkHttpRequest request) {
    return request
        .firstMatchingHeader("X-Amz-Target")
        .map(target -> target.startsWith(TARGET_PREFIX))
        .orElse(false);
  }

  /**
   * The request body as JSON, whether the SDK's CBOR or (converted already) JSON, without the
   * percentile queries of a {@code GetMetricData} call, whose ids it records in {@code attributes}.
   */
  private static byte[] jsonBody(
      Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
    if (context.requestBody().isEmpty()) {
      return "{}".getBytes(StandardCharsets.UTF_8);
    }
    try (InputStream body = context.requestBody().get().contentStreamProvider().newStream()) {
      byte[] bytes = body.readAllBytes();
      JsonNode tree =
          bytes.length == 0
              ? JSON.createObjectNode()
              : bytes[0] == '{' ? JSON.readTree(bytes) : CBOR.readTree(bytes);
      if (tree.get("MetricDataQueries") instanceof ArrayNode queries) {
        List<String> unanswered = new ArrayList<>();
        for (Iterator<JsonNode> query = queries.iterator(); query.hasNext(); ) {
          JsonNode next = query.next();
          if (PERCENTILE.matcher(next.path("MetricStat").path("Stat").asText()).matches()) {
            unanswered.add(next.path("Id").asText());
            query.remove();
          }
        }
        attributes.putAttribute(UNANSWERED, List.copyOf(unanswered));
      }
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CBOR request body", e);
    }
  }
}
