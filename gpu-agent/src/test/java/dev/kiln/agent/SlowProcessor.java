package dev.kiln.agent;

import dev.kiln.agent.processor.OutputSink;
import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.ShardContext;
import dev.kiln.agent.processor.ShardRun;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.util.List;

/** {@code slow}: copies records, sleeping {@code sleepMillis} per batch (a long computation). */
final class SlowProcessor implements Processor {
  @Override
  public String name() {
    return "slow";
  }

  @Override
  public ShardRun open(ShardContext context) {
    long sleep = Long.parseLong(context.params().getOrDefault("sleepMillis", "100"));
    return new ShardRun() {
      @Override
      public void process(List<LineRecord> batch, OutputSink out) throws IOException {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        for (LineRecord record : batch) {
          out.write(record.text());
        }
      }
    };
  }
}
