package dev.kiln.model.fleet;

/** What a processor computes on, and what an agent group's instances offer. */
public enum Accelerator {
  /** General-purpose cores only: the cheap machines (Graviton where the image allows). */
  CPU,
  /** A GPU beside the cores; such a machine runs CPU work as well, at a GPU's price. */
  GPU;

  /** Whether a machine with this accelerator can run work that needs {@code needed}. */
  public boolean satisfies(Accelerator needed) {
    return this == GPU || needed == CPU;
  }
}
