package dev.kiln.agent.processor;

import dev.kiln.protocol.queue.ShardTask;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The model a job names, with what its upload recorded, so the agent can tell whether the bytes it
 * downloads are the bytes that were uploaded.
 *
 * @param key the model zip's key in the uploads bucket
 * @param etag the object's ETag when the upload was completed (without quotes), if recorded
 * @param size the object's size in bytes, if recorded
 * @param sha256 the SHA-256 of the zip (lowercase hex), if recorded
 */
public record ModelRef(
    String key, Optional<String> etag, OptionalLong size, Optional<String> sha256) {
  public ModelRef {
    etag = etag.map(ModelRef::unquote).filter(s -> !s.isBlank());
    sha256 = sha256.map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
    if (sha256.isPresent() && !sha256.get().matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a SHA-256 is 64 hex digits, not " + sha256.get());
    }
  }

  /** The model of a shard as the queue carries it: its key and the ETag recorded at upload. */
  public static ModelRef of(ShardTask task) {
    return new ModelRef(
        task.modelKey(),
        Optional.ofNullable(task.modelEtag()),
        OptionalLong.empty(),
        Optional.empty());
  }

  /** A model known by its key and recorded ETag only. */
  public static ModelRef of(String key, String etag) {
    return new ModelRef(key, Optional.ofNullable(etag), OptionalLong.empty(), Optional.empty());
  }

  public ModelRef withSize(long bytes) {
    return new ModelRef(key, etag, OptionalLong.of(bytes), sha256);
  }

  public ModelRef withSha256(String hex) {
    return new ModelRef(key, etag, size, Optional.of(hex));
  }

  private static String unquote(String etag) {
    String s = etag.strip();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
