package dev.kiln.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamParserTest {

  @Test
  void readsEventsAndSkipsCommentsAndRetry() {
    List<ServerSentEvent> events = new ArrayList<>();
    String last =
        EventStreamParser.parse(
            List.of(
                    "retry: 2000",
                    "",
                    "id: 7",
                    "event: JOB_STARTED",
                    "data: {\"a\":1}",
                    "",
                    ": keep-alive",
                    "",
                    "event: progress",
                    "data: line one",
                    "data: line two",
                    "",
                    "event: end",
                    "data: {\"state\":\"SUCCEEDED\"}",
                    "")
                .iterator(),
            "3",
            events::add);

    assertThat(events)
        .containsExactly(
            new ServerSentEvent("7", "JOB_STARTED", "{\"a\":1}"),
            new ServerSentEvent(null, "progress", "line one\nline two"),
            new ServerSentEvent(null, "end", "{\"state\":\"SUCCEEDED\"}"));
    assertThat(last).isEqualTo("7");
  }

  @Test
  void anUnfinishedEventAtTheEndIsDropped() {
    List<ServerSentEvent> events = new ArrayList<>();
    String last =
        EventStreamParser.parse(List.of("id: 9", "data: half").iterator(), "3", events::add);
    assertThat(events).isEmpty();
    assertThat(last).isEqualTo("3");
  }
}
