package dev.kiln.model.plan;

import java.io.IOException;

/** A record longer than the reader's limit: the input is not line-delimited as declared. */
public final class RecordTooLongException extends IOException {
  private final long offset;

  public RecordTooLongException(long offset, int limit) {
    super(
        "the record at byte "
            + offset
            + " is longer than "
            + limit
            + " bytes; check that the file is line-delimited, or raise maxRecordBytes");
    this.offset = offset;
  }

  public long offset() {
    return offset;
  }
}
