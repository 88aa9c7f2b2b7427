package dev.kiln.cli.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.JobErrorView;
import dev.kiln.client.api.Page;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln errors JOB}: the job's failed records in input order, each with its file and line
 * number, read page by page; {@code --download FILE} writes them as JSON lines.
 */
@Command(
    name = "errors",
    mixinStandardHelpOptions = true,
    description = "A job's failed records, with their file line numbers.")
public final class ErrorsCommand implements Callable<Integer> {
  private static final int PAGE = 200;
  private static final int SHOWN_RECORD = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(paramLabel = "JOB")
  UUID id;

  @Option(
      names = "--download",
      paramLabel = "FILE",
      description = "Write every failed record to FILE as JSON lines instead of printing them.")
  Path download;

  private final CliContext context;

  ErrorsCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    List<JobErrorView> errors = all(context.client(), id);
    if (download != null) {
      write(errors, download);
      context.err().println(errors.size() + " failed record(s) written to " + download);
      context.err().flush();
      return ExitCodes.OK;
    }
    context.output().print(errors, () -> table(errors));
    return ExitCodes.OK;
  }

  /** Every failed record of the job, following the pages' cursors to the end. */
  static List<JobErrorView> all(KilnClient client, UUID jobId) {
    List<JobErrorView> errors = new ArrayList<>();
    String cursor = null;
    do {
      Page<JobErrorView> page = client.jobErrors(jobId, cursor, PAGE);
      errors.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return errors;
  }

  private void table(List<JobErrorView> errors) {
    if (errors.isEmpty()) {
      context.output().line("Job " + id + " has no failed records.");
      return;
    }
    context
        .output()
        .table(
            List.of("FILE", "LINE", "MESSAGE", "RECORD"),
            errors.stream()
                .map(
                    error ->
                        Arrays.asList(
                            error.fileName(),
                            error.line() == null ? null : String.valueOf(error.line()),
                            error.message(),
                            shorten(error.record())))
                .toList());
  }

  private static String shorten(String record) {
    if (record == null) {
      return null;
    }
    String oneLine = record.replace("\r", "").replace('\n', ' ');
    return oneLine.length() <= SHOWN_RECORD ? oneLine : oneLine.substring(0, SHOWN_RECORD) + "...";
  }

  /** Writes the records to a temporary file beside {@code target}, then moves it into place. */
  private static void write(List<JobErrorView> errors, Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new CliException(ExitCodes.GENERAL, "no directory " + parent + " to write into");
    }
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      for (JobErrorView error : errors) {
        out.write(JSON.writeValueAsString(error));
        out.write('\n');
      }
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
