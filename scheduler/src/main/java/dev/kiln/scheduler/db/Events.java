package dev.kiln.scheduler.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Encodes the payloads of the outbox events the scheduler writes. Stateless. */
public final class Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  /** {@code {"reason": ...}}, the payload of a failed job. */
  static String reasonJson(String reason) {
    return json(Map.of("reason", reason == null ? "" : reason));
  }

  public static String json(Map<String, ?> payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
