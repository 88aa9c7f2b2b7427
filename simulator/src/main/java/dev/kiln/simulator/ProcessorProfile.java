package dev.kiln.simulator;

import dev.kiln.model.fleet.Accelerator;
import dev.kiln.model.fleet.ProcessorNeeds;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long a processor takes per shard, and what machine it needs.
 *
 * @param name the processor's name
 * @param needs what it declares it needs
 * @param secondsPer64MiB service time of a default-size (64 MiB) shard
 * @param overheadSeconds fixed time per shard (range reads, part upload)
 */
public record ProcessorProfile(
    String name, ProcessorNeeds needs, double secondsPer64MiB, double overheadSeconds) {
  /** Batch inference with a SavedModel on a GPU. */
  public static final ProcessorProfile TF_SAVEDMODEL =
      new ProcessorProfile("tf-savedmodel", new ProcessorNeeds(Accelerator.GPU, 8_192), 60, 3);

  /** Parsing and validating records: CPU only, little memory. */
  public static final ProcessorProfile PARSE =
      new ProcessorProfile("parse", new ProcessorNeeds(Accelerator.CPU, 1_024), 6, 1);

  public static final List<ProcessorProfile> KNOWN = List.of(TF_SAVEDMODEL, PARSE);

  private static final Map<String, ProcessorProfile> BY_NAME =
      Map.of(TF_SAVEDMODEL.name(), TF_SAVEDMODEL, PARSE.name(), PARSE);

  public static Optional<ProcessorProfile> named(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Service time of a shard of {@code bytes}. */
  public double serviceSeconds(long bytes) {
    return overheadSeconds + secondsPer64MiB * bytes / (64.0 * 1024 * 1024);
  }
}
