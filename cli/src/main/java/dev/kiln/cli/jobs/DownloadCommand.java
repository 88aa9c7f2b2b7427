package dev.kiln.cli.jobs;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.CliException;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.ProgressBar;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.DownloadView;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln download JOB}: streams the outputs of a SUCCEEDED job to files (one per input), with
 * a progress bar on a terminal. A file appears only once it is complete.
 */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    description = "Download a finished job's outputs.")
public final class DownloadCommand implements Callable<Integer> {

  @Parameters(paramLabel = "JOB")
  UUID id;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "PATH",
      description = {
        "Where to write: a file for a one-input job ('-' for standard output), a directory for"
            + " several.",
        "Default: the output's own name in the current directory."
      })
  String out;

  private final CliContext context;

  DownloadCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    KilnClient client = context.client();
    JobView job = client.job(id);
    if (job.state() != JobState.SUCCEEDED) {
      throw new CliException(
          ExitCodes.GENERAL,
          "job "
              + id
              + " is "
              + job.state()
              + "; it has outputs once it has SUCCEEDED (follow it with kiln watch "
              + id
              + ")");
    }
    List<String> written = new ArrayList<>();
    for (JobView.Input input : job.inputs()) {
      DownloadView link = client.outputLink(id, input.position());
      if ("-".equals(out)) {
        try (InputStream in = client.openDownload(link.url())) {
          in.transferTo(context.stdout());
        }
        context.stdout().flush();
        continue;
      }
      Path target = target(link, job.inputs().size());
      save(client, link, target);
      written.add(target.toString());
    }
    if (!"-".equals(out)) {
      context.output().print(written, () -> written.forEach(context.output()::line));
    }
    return ExitCodes.OK;
  }

  private Path target(DownloadView link, int outputs) throws IOException {
    if (out == null) {
      return Path.of(link.name());
    }
    Path path = Path.of(out);
    if (outputs > 1 || Files.isDirectory(path)) {
      Files.createDirectories(path);
      return path.resolve(link.name());
    }
    return path;
  }

  private void save(KilnClient client, DownloadView link, Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".part");
    ProgressBar bar =
        new ProgressBar(
            context.err(),
            context.stderrTerminal(),
            context.clock(),
            link.name(),
            link.sizeBytes(),
            0);
    try (InputStream in = client.openDownload(link.url());
        OutputStream file = Files.newOutputStream(partial)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        file.write(buffer, 0, n);
        bar.add(n);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    bar.finish();
    long size = Files.size(partial);
    if (size != link.sizeBytes()) {
      Files.deleteIfExists(partial);
      throw new CliException(
          ExitCodes.NETWORK,
          "the download of "
              + link.name()
              + " ended after "
              + size
              + " of "
              + link.sizeBytes()
              + " bytes; run the command again");
    }
    Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
  }
}
