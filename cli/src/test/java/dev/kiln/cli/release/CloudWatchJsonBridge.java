package dev.kiln.cli.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.interceptor.Context;
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
 * for field: it changes the encoding, never the data, so what the client reads is what moto
 * stored and computed. Timestamps travel as epoch seconds in both protocols. Thread-safe.
 */
final class CloudWatchJsonBridge implements ExecutionInterceptor {

  private static final Pattern RPC_PATH =
      Pattern.compile("/service/(GraniteServiceVersion20100801)/operation/([A-Za-z]+)");
  private static final String TARGET_PREFIX = "GraniteServiceVersion20100801.";
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
    byte[] json = jsonBody(context);
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
    return Optional.of(RequestBody.fromBytes(jsonBody(context)));
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
    try (InputStream body = context.responseBody().get()) {
      byte[] json = body.readAllBytes();
      JsonNode tree = json.length == 0 ? JSON.createObjectNode() : JSON.readTree(json);
      return Optional.of(new ByteArrayInputStream(CBOR.writeValueAsBytes(tree)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot turn moto's JSON answer into CBOR", e);
    }
  }

  private static boolean bridged(SdkHttpRequest request) {
    return request
        .firstMatchingHeader("X-Amz-Target")
        .map(target -> target.startsWith(TARGET_PREFIX))
        .orElse(false);
  }

  /** The request body as JSON, whether the SDK's CBOR or (converted already) JSON. */
  private static byte[] jsonBody(Context.ModifyHttpRequest context) {
    if (context.requestBody().isEmpty()) {
      return "{}".getBytes(StandardCharsets.UTF_8);
    }
    try (InputStream body = context.requestBody().get().contentStreamProvider().newStream()) {
      byte[] bytes = body.readAllBytes();
      if (bytes.length > 0 && bytes[0] == '{') {
        return bytes;
      }
      JsonNode tree = bytes.length == 0 ? JSON.createObjectNode() : CBOR.readTree(bytes);
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CBOR request body", e);
    }
  }
}
