package dev.kiln.agent.processor;

import dev.kiln.model.fleet.ProcessorNeeds;

/**
 * Turns the records of a shard into output records. Implementations are found with {@link
 * java.util.ServiceLoader} (list them in {@code
 * META-INF/services/dev.kiln.agent.processor.Processor}) and made once per agent, so a processor
 * may keep expensive state (a loaded model) between shards.
 *
 * <p>Implementations must be thread-safe: the agent may open runs for several shards at once.
 */
public interface Processor extends AutoCloseable {
  /** The name jobs ask for, for example {@code parse} or {@code tf-savedmodel}. */
  String name();

  /**
   * Prepares one shard. Check here what can be checked before the first record (the model loads,
   * its signature matches the header) and throw a non-retryable {@link ProcessorException} when the
   * job cannot succeed, so it fails at its first shard.
   */
  ShardRun open(ShardContext context) throws ProcessorException;

  /**
   * What one shard needs from the machine: a GPU or only cores, and memory. The fleet runs the
   * processor on the cheapest agent group that fits ({@link
   * dev.kiln.model.fleet.AgentGroup#cheapestFitting}); a GPU machine by default.
   */
  default ProcessorNeeds needs() {
    return ProcessorNeeds.GPU_DEFAULT;
  }

  /** A line for the agent's log and registry, such as the device in use; empty by default. */
  default String describe() {
    return "";
  }

  /** Frees what the processor holds (models). Called once when the agent stops. */
  @Override
  default void close() {}
}
