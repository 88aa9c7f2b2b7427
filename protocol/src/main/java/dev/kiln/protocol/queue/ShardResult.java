package dev.kiln.protocol.queue;

import dev.kiln.model.fleet.Machine;

/**
 * What an agent reports when a shard is done.
 *
 * @param outputKey key of the output part in the results bucket
 * @param outputBytes size of the part
 * @param records records read
 * @param errors records that failed and went to the error part
 * @param errorKey key of the error part, or null when there were no errors
 * @param busySeconds agent-seconds spent (cost accounting)
 * @param newlines the {@code \n} bytes in the shard's byte range, or -1 when not counted; the
 *     scheduler adds up those of the shards before a shard to number its lines in the file
 * @param machine the machine of the agent that ran it (instance type, spot or on-demand), or {@code
 *     null} when not reported (older agents): the job's cost prices it
 */
public record ShardResult(
    String outputKey,
    long outputBytes,
    long records,
    long errors,
    String errorKey,
    double busySeconds,
    long newlines,
    Machine machine) {

  /** A result whose machine was not reported. */
  public ShardResult(
      String outputKey,
      long outputBytes,
      long records,
      long errors,
      String errorKey,
      double busySeconds,
      long newlines) {
    this(outputKey, outputBytes, records, errors, errorKey, busySeconds, newlines, null);
  }

  /** A result whose line breaks were not counted. */
  public ShardResult(
      String outputKey,
      long outputBytes,
      long records,
      long errors,
      String errorKey,
      double busySeconds) {
    this(outputKey, outputBytes, records, errors, errorKey, busySeconds, -1);
  }
}
