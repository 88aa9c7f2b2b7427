package dev.kiln.agent.processor;

import java.nio.file.Path;

/** Gives processors the job's model as a local directory. Thread-safe. */
public interface ModelFiles {
  /**
   * The unpacked model zip {@code model} names, downloaded once and cached on disk under the
   * SHA-256 of its bytes, after checking that the bytes are those its upload recorded.
   *
   * @throws ProcessorException non-retryable when the zip is missing, corrupt, too large, or not
   *     what its upload recorded; retryable when the download failed
   */
  Path directory(ModelRef model) throws ProcessorException;
}
