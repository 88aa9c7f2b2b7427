package dev.kiln.client.api;

import java.util.List;

/** The live agents, by id. */
public record AgentsView(List<AgentView> items) {
  public AgentsView {
    items = items == null ? List.of() : List.copyOf(items);
  }
}
