package dev.kiln.api.resources;

import dev.kiln.api.errors.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies above the limit with 413: at once when Content-Length says so, while
 * reading when the body is chunked. Thread-safe.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter {
  private final long maxBytes;

  public BodyLimitFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > maxBytes) {
      throw tooLarge();
    }
    if (request.hasEntity()) {
      request.setEntityStream(new Limited(request.getEntityStream(), maxBytes));
    }
  }

  private ApiException tooLarge() {
    return ApiException.tooLarge(
        "Request bodies may have at most "
            + maxBytes
            + " bytes; upload data as a file (POST /api/v1/files), not in the request.");
  }

  private final class Limited extends FilterInputStream {
    private long remaining;

    Limited(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && --remaining < 0) {
        throw tooLarge();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        remaining -= n;
        if (remaining < 0) {
          throw tooLarge();
        }
      }
      return n;
    }
  }
}
