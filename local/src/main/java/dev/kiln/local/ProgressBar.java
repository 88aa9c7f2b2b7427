package dev.kiln.local;

import dev.kiln.client.api.JobView;
import java.util.Locale;

/** Renders a job's progress as one terminal line. Stateless. */
final class ProgressBar {
  private ProgressBar() {}

  static String render(JobView job, int width) {
    JobView.Progress progress = job.progress();
    int total = Math.max(progress.shardsTotal(), 1);
    int filled = (int) Math.round(width * (double) progress.shardsDone() / total);
    if (progress.shardsTotal() == 0) {
      filled = 0;
    }
    double elapsed =
        job.timings() == null || job.timings().elapsedSeconds() == null
            ? 0
            : job.timings().elapsedSeconds();
    return String.format(
        Locale.ROOT,
        "[%s%s] %3d%% %d/%d shards %,d records %s %.1f s   ",
        "#".repeat(filled),
        ".".repeat(width - filled),
        progress.shardsTotal() == 0 ? 0 : 100 * progress.shardsDone() / total,
        progress.shardsDone(),
        progress.shardsTotal(),
        progress.records(),
        job.state(),
        elapsed);
  }
}
