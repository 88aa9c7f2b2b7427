package dev.kiln.client;

import java.util.Iterator;
import java.util.function.Consumer;

/** Parses a {@code text/event-stream} body line by line, as the HTML standard describes. */
final class EventStreamParser {
  private EventStreamParser() {}

  /**
   * Hands every complete event to {@code listener}; comments and {@code retry:} lines are skipped.
   * Answers the last event id seen, or {@code lastEventId} when no event carried one.
   */
  static String parse(
      Iterator<String> lines, String lastEventId, Consumer<ServerSentEvent> listener) {
    String lastId = lastEventId;
    String id = null;
    String event = null;
    StringBuilder data = null;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data != null) {
          if (id != null) {
            lastId = id;
          }
          listener.accept(
              new ServerSentEvent(id, event == null ? "message" : event, data.toString()));
        }
        id = null;
        event = null;
        data = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> event = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {
          // retry: and unknown fields change nothing a client of this API needs
        }
      }
    }
    return lastId;
  }
}
