package dev.kiln.protocol.queue;

import java.util.List;
import java.util.UUID;

/**
 * One processor's work in the queue now: its concurrency cap ({@code null}: none) and each owner's
 * share, largest first. Immutable.
 */
public record ProcessorLoad(String processor, Integer cap, List<OwnerLoad> owners) {
  public ProcessorLoad {
    owners = List.copyOf(owners);
  }

  /** Shards queued (ready or backing off) of every owner. */
  public long queued() {
    return owners.stream().mapToLong(OwnerLoad::queued).sum();
  }

  /** Shards leased of every owner. */
  public long leased() {
    return owners.stream().mapToLong(OwnerLoad::leased).sum();
  }

  /** One owner's shards of the processor. */
  public record OwnerLoad(UUID ownerId, long queued, long leased) {}
}
