package dev.kiln.agent.processor;

import java.nio.file.Path;

/** Gives processors the job's model as a local directory. Thread-safe. */
public interface ModelFiles {
  /**
   * The unpacked model zip stored under {@code modelKey} in the uploads bucket, downloaded once and
   * cached on disk by its content hash {@code modelEtag}.
   *
   * @throws ProcessorException non-retryable when the zip is corrupt or missing, retryable when the
   *     download failed
   */
  Path directory(String modelKey, String modelEtag) throws ProcessorException;
}
