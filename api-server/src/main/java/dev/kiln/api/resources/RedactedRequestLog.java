package dev.kiln.api.resources;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;

/**
 * The request log with credentials taken out ({@link TokenRedaction}): whatever format the log is
 * configured with, it sees the request with {@code access_token} values and the {@code
 * Authorization} header redacted. Thread-safe when the log it wraps is.
 */
public final class RedactedRequestLog implements RequestLog {
  private final RequestLog log;

  public RedactedRequestLog(RequestLog log) {
    this.log = log;
  }

  @Override
  public void log(Request request, Response response) {
    log.log(redacted(request), response);
  }

  static Request redacted(Request request) {
    HttpURI uri = request.getHttpURI();
    boolean tokenInQuery = TokenRedaction.mayHoldToken(uri.getQuery());
    boolean authorization = request.getHeaders().contains(HttpHeader.AUTHORIZATION);
    if (!tokenInQuery && !authorization) {
      return request;
    }
    HttpURI shownUri =
        tokenInQuery
            ? HttpURI.build(uri).query(TokenRedaction.query(uri.getQuery())).asImmutable()
            : uri;
    HttpFields shownHeaders = authorization ? withoutCredentials(request.getHeaders()) : null;
    return new Request.Wrapper(request) {
      @Override
      public HttpURI getHttpURI() {
        return shownUri;
      }

      @Override
      public HttpFields getHeaders() {
        return shownHeaders == null ? super.getHeaders() : shownHeaders;
      }
    };
  }

  private static HttpFields withoutCredentials(HttpFields headers) {
    HttpFields.Mutable shown = HttpFields.build(headers.size());
    for (HttpField field : headers) {
      if (field.getHeader() == HttpHeader.AUTHORIZATION) {
        shown.add(field.getName(), TokenRedaction.authorization(field.getValue()));
      } else {
        shown.add(field);
      }
    }
    return shown.asImmutable();
  }
}
