package dev.kiln.cli.files;

import dev.kiln.cli.common.CliContext;
import dev.kiln.cli.common.Sizes;
import dev.kiln.client.KilnClient;
import picocli.CommandLine.Option;

/** How uploads run: parts at once and an optional bandwidth cap. Shared by upload and run. */
public final class TransferOptions {

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "4",
      description = "Parts uploaded at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(
      names = "--limit-rate",
      paramLabel = "SIZE",
      description = "Upload at most SIZE bytes per second, such as 10M (default: no limit).")
  String limitRate;

  public Uploader uploader(CliContext context, KilnClient client) {
    return new Uploader(context, client, parallel, limitRate == null ? 0 : Sizes.parse(limitRate));
  }
}
