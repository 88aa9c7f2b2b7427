package dev.kiln.scheduler.prices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The one call Kiln makes to the AWS Pricing API, {@code GetProducts}, over its JSON 1.1 protocol
 * with a SigV4 signature (service {@code pricing}). Written by hand because the SDK's own Pricing
 * client is not served at the SDK version the other AWS clients use; it follows {@code NextToken}
 * for a bounded number of pages. Thread-safe.
 */
public final class PricingApiClient implements AutoCloseable {
  static final String TARGET = "AWSPriceListService.GetProducts";
  static final String SIGNING_NAME = "pricing";
  private static final int MAX_PAGES = 20;

  private final SdkHttpClient http;
  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final ObjectMapper json;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param endpoint the API's address, {@link #endpointOf} for AWS itself
   * @param region the region the API is served from, which the signature names
   */
  public PricingApiClient(
      SdkHttpClient http,
      URI endpoint,
      String region,
      AwsCredentialsProvider credentials,
      ObjectMapper json) {
    this.http = http;
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.json = json;
  }

  /** The Pricing API's address in {@code region}. */
  public static URI endpointOf(String region) {
    return URI.create("https://api.pricing." + region + ".amazonaws.com");
  }

  /**
   * Every price list item (a JSON document as a string) of {@code serviceCode} matching every
   * {@code TERM_MATCH} filter (field to value), across pages.
   *
   * @throws PriceFetchException when the API cannot be reached or answers an error
   * @throws PriceListParser.UnreadablePriceListException when its answer is not what it documents
   */
  public List<String> getProducts(String serviceCode, Map<String, String> filters) {
    List<String> items = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      ObjectNode request = json.createObjectNode();
      request.put("ServiceCode", serviceCode);
      request.put("FormatVersion", "aws_v1");
      ArrayNode terms = request.putArray("Filters");
      filters.forEach(
          (field, value) ->
              terms.addObject().put("Type", "TERM_MATCH").put("Field", field).put("Value", value));
      if (next != null) {
        request.put("NextToken", next);
      }
      JsonNode answer = call(request);
      JsonNode list = answer.path("PriceList");
      if (!list.isArray()) {
        throw new PriceListParser.UnreadablePriceListException("the answer has no PriceList");
      }
      list.forEach(item -> items.add(item.isTextual() ? item.asText() : item.toString()));
      JsonNode token = answer.path("NextToken");
      next = token.isTextual() && !token.asText().isEmpty() ? token.asText() : null;
      pages++;
    } while (next != null && pages < MAX_PAGES);
    return items;
  }

  private JsonNode call(ObjectNode request) {
    byte[] body;
    try {
      body = json.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a GetProducts request cannot be written", e);
    }
    SdkHttpFullRequest unsigned =
        SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .encodedPath("/")
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", TARGET)
            .putHeader("Content-Length", Integer.toString(body.length))
            .build();
    int status;
    byte[] answer;
    try {
      SignedRequest signed =
          signer.sign(
              sign ->
                  sign.identity(credentials.resolveCredentials())
                      .request(unsigned)
                      .payload(ContentStreamProvider.fromByteArray(body))
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                      .putProperty(AwsV4HttpSigner.REGION_NAME, region));
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(ContentStreamProvider.fromByteArray(body))
                      .build())
              .call();
      status = response.httpResponse().statusCode();
      answer = read(response);
    } catch (IOException | SdkException e) {
      throw new PriceFetchException(
          "the Pricing API at " + endpoint + " cannot be reached: " + e.getMessage());
    }
    JsonNode root = parse(answer, status);
    if (status / 100 != 2) {
      throw new PriceFetchException(
          "AWS answered " + status + " " + errorCode(root) + ": " + errorMessage(root));
    }
    return root;
  }

  private JsonNode parse(byte[] answer, int status) {
    JsonNode root;
    try {
      root = json.readTree(answer);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      if (status / 100 != 2) {
        throw new PriceFetchException("the Pricing API answered HTTP " + status);
      }
      throw new PriceListParser.UnreadablePriceListException("the answer is not a JSON object");
    }
    return root;
  }

  private static byte[] read(HttpExecuteResponse response) throws IOException {
    if (response.responseBody().isEmpty()) {
      return new byte[0];
    }
    try (InputStream in = response.responseBody().get()) {
      return in.readAllBytes();
    }
  }

  /** The error's code: {@code __type} without its namespace ({@code ...#ThrottlingException}). */
  private static String errorCode(JsonNode root) {
    String type = root.path("__type").asText("");
    int hash = type.lastIndexOf('#');
    return type.isEmpty() ? "an error" : type.substring(hash + 1);
  }

  private static String errorMessage(JsonNode root) {
    String message = root.path("message").asText(root.path("Message").asText(""));
    return message.isEmpty() ? "(no message)" : message.lines().findFirst().orElse("");
  }

  @Override
  public void close() {
    http.close();
  }

  /** The Pricing API could not be asked or refused; the refresh keeps the prices it had. */
  public static final class PriceFetchException extends RuntimeException {
    public PriceFetchException(String message) {
      super(message);
    }
  }
}
