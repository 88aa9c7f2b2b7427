package dev.kiln.client.api;

import java.util.List;
import java.util.UUID;

/**
 * What a requeue did: the failed jobs it reopened, the shards they run again, whether matching dead
 * letters are left for another call (a requeue handles a bounded batch), and the jobs left failed
 * because their owners' credits do not cover what they would run again.
 */
public record RequeueView(int jobs, int shards, boolean more, List<UUID> unpaid) {
  public RequeueView {
    unpaid = unpaid == null ? List.of() : List.copyOf(unpaid);
  }
}
