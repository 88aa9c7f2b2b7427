package dev.kiln.protocol.storage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One failed record in a shard's error part ({@link ObjectKeys#errorPart}), one JSON object per
 * line, in input order: written by the agent, read by the API. The line in the file is not known to
 * the agent; the API derives it from {@code newlines} and the counts of the shards before.
 *
 * @param offset the record's byte offset in the input
 * @param newlines the {@code \n} bytes between the shard's first byte and the record
 * @param message why the record failed
 * @param record the record's text, cut to {@link #MAX_RECORD_CHARS} characters
 * @param truncated whether {@code record} was cut
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorPartLine(
    long offset, long newlines, String message, String record, boolean truncated) {
  /** The most characters of a failed record kept. */
  public static final int MAX_RECORD_CHARS = 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A line for {@code record}, cut to the limit. */
  public static ErrorPartLine of(long offset, long newlines, String message, String record) {
    boolean cut = record != null && record.length() > MAX_RECORD_CHARS;
    return new ErrorPartLine(
        offset, newlines, message, cut ? record.substring(0, MAX_RECORD_CHARS) : record, cut);
  }

  /** The JSON line, without its {@code \n}. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an error line is always JSON", e);
    }
  }

  /**
   * Reads one line of an error part.
   *
   * @throws IllegalArgumentException when the line is not one
   */
  public static ErrorPartLine parse(String line) {
    try {
      return JSON.readValue(line, ErrorPartLine.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an error part line: " + e.getOriginalMessage(), e);
    }
  }
}
