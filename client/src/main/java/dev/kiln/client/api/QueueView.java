package dev.kiln.client.api;

import java.util.List;

/**
 * One processor's queue: shards queued (ready or backing off), leased and dead, each owner's share
 * (largest first) and the concurrency cap in force ({@code null}: none).
 */
public record QueueView(
    String processor,
    long queued,
    long leased,
    long dead,
    Integer cap,
    List<OwnerShareView> owners) {
  public QueueView {
    owners = owners == null ? List.of() : List.copyOf(owners);
  }
}
