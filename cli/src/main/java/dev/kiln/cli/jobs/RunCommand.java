package dev.kiln.cli.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.files.TransferOptions;
import dev.kiln.cli.files.Uploader;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln run}: submits a job over files, uploading the arguments that are local paths and
 * taking the others as file ids; with {@code --watch} it follows the job to its end.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Submit a job; INPUTs are local files (uploaded first) or file ids.",
      "With --watch: follow it; exit code 0 SUCCEEDED, 5 FAILED, 6 CANCELLED."
    })
public final class RunCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Option(
      names = "--processor",
      required = true,
      paramLabel = "P",
      description = "parse, checksum or tf-savedmodel.")
  String processor;

  @Option(
      names = "--model",
      paramLabel = "FILE|ID",
      description = "The model: a zipped SavedModel file (uploaded) or a file id.")
  String model;

  @Parameters(paramLabel = "INPUT", arity = "1..*", description = "Input files or file ids.")
  List<String> inputs;

  @Option(
      names = "--param",
      paramLabel = "KEY=VALUE",
      description =
          "A job parameter: shardBytes, split, format, batchSize, maxErrorRate, maxAttempts,"
              + " outputFormat (jsonl or parquet).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--priority", paramLabel = "N", description = "0 to 9, higher first (default 0).")
  Integer priority;

  @Option(names = "--watch", description = "Follow the job until it ends.")
  boolean watch;

  @Mixin TransferOptions transfer;

  private final CliContext context;

  RunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    KilnClient client = context.client();
    Uploader uploader = transfer.uploader(context, client);
    List<UUID> inputIds = new ArrayList<>();
    for (String input : inputs) {
      inputIds.add(fileId(input, uploader));
    }
    UUID modelId = model == null ? null : fileId(model, uploader);
    JobParams jobParams = jobParams();
    JobView job =
        client.submit(
            new JobCreateRequest(processor, inputIds, modelId, jobParams, priority),
            UUID.randomUUID().toString());
    if (!watch) {
      context.output().print(job, () -> context.output().line(job.id().toString()));
      return ExitCodes.OK;
    }
    context.err().println("kiln: job " + job.id() + " submitted");
    context.err().flush();
    return WatchCommand.watchAndReport(context, job.id());
  }

  /** A local file is uploaded; anything else must be a file id. */
  private UUID fileId(String argument, Uploader uploader) throws IOException {
    Path path = Path.of(argument);
    if (Files.exists(path)) {
      return uploader.upload(path).id();
    }
    try {
      return UUID.fromString(argument);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ExitCodes.USAGE, "'" + argument + "' is neither a local file nor a file id");
    }
  }

  private JobParams jobParams() {
    if (params.isEmpty()) {
      return JobParams.DEFAULTS;
    }
    try {
      return JSON.convertValue(params, JobParams.class);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() == null ? "" : e.getMessage();
      throw new CliException(
          ExitCodes.USAGE,
          "--param: "
              + reason.lines().findFirst().orElse(reason)
              + " (known: shardBytes, split, format, batchSize, maxErrorRate, maxAttempts, outputFormat)");
    }
  }
}
