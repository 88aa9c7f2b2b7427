package dev.kiln.scheduler.plan;

import dev.kiln.db.FileDao;
import dev.kiln.db.JobDao;
import dev.kiln.db.JobParamsJson;
import dev.kiln.model.InputFormat;
import dev.kiln.model.Job;
import dev.kiln.model.JobInput;
import dev.kiln.model.JobParams;
import dev.kiln.model.Shard;
import dev.kiln.model.StoredFile;
import dev.kiln.protocol.queue.ShardTask;
import dev.kiln.scheduler.settings.SchedulerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Turns shard rows into the tasks agents receive, from the job, its inputs and model. Stateless.
 */
final class TaskBuilder {
  private final SchedulerSettings settings;
  private final String resultsBucket;

  TaskBuilder(SchedulerSettings settings, String resultsBucket) {
    this.settings = settings;
    this.resultsBucket = resultsBucket;
  }

  List<ShardTask> tasks(Handle handle, Job job, List<Shard> shards) {
    JobParams.Resolved params =
        JobParamsJson.read(job.paramsJson()).resolve(settings.jobDefaults());
    FileDao files = handle.attach(FileDao.class);
    Map<Integer, JobInput> inputs = new HashMap<>();
    Map<Integer, StoredFile> inputFiles = new HashMap<>();
    for (JobInput input : handle.attach(JobDao.class).inputs(job.id())) {
      inputs.put(input.position(), input);
      files.findById(input.fileId()).ifPresent(f -> inputFiles.put(input.position(), f));
    }
    StoredFile model =
        job.modelFileId() == null ? null : files.findById(job.modelFileId()).orElse(null);
    List<ShardTask> tasks = new ArrayList<>(shards.size());
    for (Shard shard : shards) {
      StoredFile file = inputFiles.get(shard.inputPosition());
      if (file == null) {
        continue;
      }
      InputFormat format = params.format().orElse(InputFormat.fromFileName(file.name()));
      tasks.add(
          new ShardTask(
              job.id(),
              shard.idx(),
              job.ownerId(),
              job.processor(),
              job.priority(),
              params.maxAttempts(),
              file.bucket(),
              file.objectKey(),
              shard.startOffset(),
              shard.endOffset(),
              file.sizeBytes(),
              format.name(),
              inputs.get(shard.inputPosition()).header(),
              model == null ? null : model.objectKey(),
              model == null ? null : model.etag(),
              params.all(),
              resultsBucket));
    }
    return tasks;
  }
}
