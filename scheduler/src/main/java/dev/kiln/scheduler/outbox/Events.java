package dev.kiln.scheduler.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Encodes outbox payloads. Stateless. */
public final class Events {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  public static String json(Map<String, ?> payload) {
    try {
      return JSON.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
