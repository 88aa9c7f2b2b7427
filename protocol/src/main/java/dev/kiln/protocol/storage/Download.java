package dev.kiln.protocol.storage;

import java.io.FilterInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object being read, with what S3 said of it when the read began: its ETag (without quotes) and
 * its length. {@link #abort()} drops the connection instead of draining the rest.
 */
public final class Download extends FilterInputStream {
  private final ResponseInputStream<GetObjectResponse> response;

  Download(ResponseInputStream<GetObjectResponse> response) {
    super(response);
    this.response = response;
  }

  public String etag() {
    return ObjectStore.unquote(response.response().eTag());
  }

  /** The object's length in bytes, or {@code null} when S3 did not say. */
  public Long contentLength() {
    return response.response().contentLength();
  }

  /** Stops reading and closes the connection without reading the rest of the object. */
  public void abort() {
    response.abort();
  }
}
