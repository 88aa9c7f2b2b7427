package dev.kiln.cli.release;

/** Says whether the agent on an instance holds a shard lease right now. */
@FunctionalInterface
public interface AgentLeases {

  boolean holdsLease(String instanceId);
}
