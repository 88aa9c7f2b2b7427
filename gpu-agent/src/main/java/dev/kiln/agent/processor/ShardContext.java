package dev.kiln.agent.processor;

import dev.kiln.model.InputFormat;
import dev.kiln.protocol.queue.ShardTask;
import java.util.List;
import java.util.Map;

/**
 * What a processor knows about the shard it opens.
 *
 * @param task the shard as the queue carried it
 * @param format the input's format
 * @param columns the CSV header's column names (empty for other formats)
 * @param batchSize the most records one {@link ShardRun#process} call gets
 * @param models where the job's model comes from
 */
public record ShardContext(
    ShardTask task, InputFormat format, List<String> columns, int batchSize, ModelFiles models) {
  public ShardContext {
    columns = List.copyOf(columns);
  }

  public Map<String, String> params() {
    return task.params();
  }

  /** Whether this shard starts its input (so it writes the output's header, if any). */
  public boolean firstOfInput() {
    return task.start() == 0;
  }
}
