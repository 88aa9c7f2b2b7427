package dev.kiln.model.fleet;

/**
 * What one shard of a processor needs from the machine that runs it.
 *
 * @param accelerator GPU for inference, CPU for work such as {@code parse}
 * @param memoryMiB memory one shard's run needs
 */
public record ProcessorNeeds(Accelerator accelerator, int memoryMiB) {
  /** The needs of a processor that declares none: a GPU machine, as before groups existed. */
  public static final ProcessorNeeds GPU_DEFAULT = new ProcessorNeeds(Accelerator.GPU, 4096);

  public ProcessorNeeds {
    if (accelerator == null || memoryMiB < 1) {
      throw new IllegalArgumentException("a processor needs an accelerator and 1 MiB or more");
    }
  }
}
