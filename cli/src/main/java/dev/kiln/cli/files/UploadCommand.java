package dev.kiln.cli.files;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.cli.common.Sizes;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln upload FILE...}: uploads files (resuming an interrupted upload) and prints them; a
 * folder is packed into a tar first.
 */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    description = {
      "Upload files, in parallel parts, with their checksums checked.",
      "Interrupted (Ctrl-C, a dropped connection)? Run the same command again to resume."
    })
public final class UploadCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "Files to upload; a folder uploads as FOLDER.tar, one record per file.")
  List<Path> files;

  @Mixin TransferOptions transfer;

  private final CliContext context;

  UploadCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException {
    KilnClient client = context.client();
    Uploader uploader = transfer.uploader(context, client);
    List<FileView> uploaded = new ArrayList<>();
    for (Path file : files) {
      uploaded.add(uploader.upload(file));
    }
    context.output().print(uploaded, () -> FilesCommand.printTable(context, uploaded));
    return ExitCodes.OK;
  }

  static String size(FileView file) {
    return Sizes.bytes(file.sizeBytes());
  }
}
