package dev.kiln.cli.jobs;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.Sizes;
import dev.kiln.client.api.JobView;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How jobs print for people. Stateless. */
final class JobTable {
  private JobTable() {}

  static void list(CliContext context, List<JobView> jobs) {
    context
        .output()
        .table(
            List.of("ID", "STATE", "PROCESSOR", "PROGRESS", "RECORDS", "ERRORS", "CREATED"),
            jobs.stream()
                .map(
                    job ->
                        Arrays.asList(
                            job.id().toString(),
                            context.output().style().state(job.state().name()),
                            job.processor(),
                            job.progress().shardsDone() + "/" + job.progress().shardsTotal(),
                            String.valueOf(job.progress().records()),
                            String.valueOf(job.progress().errors()),
                            job.timings() == null
                                ? null
                                : String.valueOf(job.timings().createdAt())))
                .toList());
  }

  static void show(CliContext context, JobView job) {
    StringBuilder text = new StringBuilder();
    row(text, "id", job.id().toString());
    row(text, "state", context.output().style().state(job.state().name()));
    row(text, "processor", job.processor());
    row(text, "model", job.model() == null ? "-" : job.model().toString());
    row(text, "priority", String.valueOf(job.priority()));
    row(text, "params", String.valueOf(job.params()));
    JobView.Progress progress = job.progress();
    row(
        text,
        "progress",
        String.format(
            Locale.ROOT,
            "%d/%d shards (%.0f%%), %d records, %d errors",
            progress.shardsDone(),
            progress.shardsTotal(),
            progress.percent(),
            progress.records(),
            progress.errors()));
    if (job.timings() != null) {
      row(text, "created", String.valueOf(job.timings().createdAt()));
      row(text, "finished", String.valueOf(job.timings().finishedAt()));
      if (job.timings().elapsedSeconds() != null) {
        row(text, "elapsed", Sizes.seconds(Math.round(job.timings().elapsedSeconds())));
      }
    }
    if (job.cost() != null) {
      row(
          text,
          "cost",
          String.format(
              Locale.ROOT,
              "$%.4f (%.1f agent-seconds)",
              job.cost().usd(),
              job.cost().agentSeconds()));
    }
    if (job.failureReason() != null) {
      row(text, "failure", context.output().style().red(job.failureReason()));
    }
    for (JobView.Input input : job.inputs()) {
      row(
          text,
          "input " + input.position(),
          input.fileId()
              + (input.outputFileId() == null ? "" : " -> output " + input.outputFileId())
              + (input.shardNote() == null ? "" : " (" + input.shardNote() + ")"));
    }
    context.output().line(text.toString().stripTrailing());
  }

  private static void row(StringBuilder text, String name, String value) {
    text.append(String.format(Locale.ROOT, "%-10s %s%n", name, value));
  }
}
