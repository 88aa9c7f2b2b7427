package dev.kiln.model.plan;

import java.io.IOException;

/** An archive input that cannot be read as the format it claims: retrying will not help. */
public final class BadArchiveException extends IOException {
  public BadArchiveException(String message) {
    super(message);
  }
}
