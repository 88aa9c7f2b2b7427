package dev.kiln.cli.files;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.ExitCodes;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kiln files ls | rm}: the account's files. */
@Command(name = "files", mixinStandardHelpOptions = true, description = "List and delete files.")
public final class FilesCommand {
  private final CliContext context;

  FilesCommand(CliContext context) {
    this.context = context;
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List files, newest first.")
  int list(
      @Option(
              names = "--limit",
              defaultValue = "50",
              paramLabel = "N",
              description = "At most N files (default: ${DEFAULT-VALUE}).")
          int limit) {
    List<FileView> files = new ArrayList<>();
    String cursor = null;
    do {
      Page<FileView> page = context.client().files(cursor, Math.min(200, limit - files.size()));
      files.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null && files.size() < limit);
    context.output().print(files, () -> printTable(context, files));
    return ExitCodes.OK;
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete files.")
  int remove(@Parameters(paramLabel = "ID", arity = "1..*") List<UUID> ids) {
    for (UUID id : ids) {
      context.client().deleteFile(id);
    }
    context
        .output()
        .print(
            java.util.Map.of("deleted", ids),
            () -> ids.forEach(id -> context.output().line("Deleted file " + id)));
    return ExitCodes.OK;
  }

  static void printTable(CliContext context, List<FileView> files) {
    context
        .output()
        .table(
            List.of("ID", "NAME", "SIZE", "STATE", "CREATED"),
            files.stream()
                .map(
                    file ->
                        Arrays.asList(
                            file.id().toString(),
                            file.name(),
                            UploadCommand.size(file),
                            context.output().style().state(file.state()),
                            String.valueOf(file.createdAt())))
                .toList());
  }
}
