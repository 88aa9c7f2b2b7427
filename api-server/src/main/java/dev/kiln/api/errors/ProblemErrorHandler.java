package dev.kiln.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.client.api.Problem;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors the HTTP server answers itself, before any resource sees the request (a malformed URL,
 * headers too large, an unknown HTTP version, an ambiguous path): problem details like every other
 * error, instead of Jetty's HTML page. Thread-safe.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> securityHeaders;

  /** {@code securityHeaders}: the headers every response carries (see SecurityHeadersFilter). */
  public ProblemErrorHandler(Map<String, String> securityHeaders) {
    this.securityHeaders = Map.copyOf(securityHeaders);
  }

  /** A problem body for every method, not only GET, POST and HEAD as Jetty's default. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    securityHeaders.forEach(fields::put);
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    return ByteBuffer.wrap(body(status, reason));
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int status,
      String message,
      Throwable cause,
      Callback callback) {
    securityHeaders.forEach(response.getHeaders()::put);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(status, message)), callback);
  }

  private static byte[] body(int status, String reason) {
    String title = HttpStatus.getMessage(status);
    Problem problem =
        new Problem(
            Problem.TYPE_BASE + "http-" + status,
            title,
            status,
            detail(status, reason),
            null,
            null);
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a problem always serialises", e);
    }
  }

  private static String detail(int status, String reason) {
    String what = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
    return switch (status) {
      case 400 ->
          "The server could not read this request ("
              + what
              + "); check the URL's percent-encoding and path segments.";
      case 413 -> "The request is larger than the server accepts (" + what + ").";
      case 414 -> "The URL is too long; send long values in the request body instead.";
      case 431 -> "The request's headers are too large; send fewer or shorter headers or cookies.";
      case 505 -> "This server speaks HTTP/1.1 and HTTP/1.0 only (" + what + ").";
      default -> what + ".";
    };
  }
}
