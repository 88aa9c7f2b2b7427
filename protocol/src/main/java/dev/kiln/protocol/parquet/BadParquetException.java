package dev.kiln.protocol.parquet;

import java.io.IOException;

/**
 * A Parquet input that cannot be read (cut short, damaged, encrypted, or another format): retrying
 * will not help. The message completes a sentence that starts with the file's name.
 */
public final class BadParquetException extends IOException {
  public BadParquetException(String message) {
    super(message);
  }

  public BadParquetException(String message, Throwable cause) {
    super(message, cause);
  }
}
