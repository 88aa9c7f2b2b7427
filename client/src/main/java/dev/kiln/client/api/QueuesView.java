package dev.kiln.client.api;

import java.util.List;

/** Every processor's queue, by processor name. */
public record QueuesView(List<QueueView> items) {
  public QueuesView {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
