package dev.kiln.protocol.storage;

import java.text.Normalizer;
import java.util.UUID;

/**
 * Builds every object key the platform uses. Nothing a user typed becomes a path segment without
 * {@link #sanitise}. Stateless.
 */
public final class ObjectKeys {
  private static final int MAX_NAME_CHARS = 120;

  /**
   * Prefix of the staging keys in the uploads bucket: clients upload a pending file's bytes to
   * {@code upload/{fileKey}}; completion copies them to the file's own key and deletes the staged
   * copy. Whatever is left here after a day is garbage the scheduler's housekeeper removes.
   */
  public static final String STAGING_PREFIX = "upload/";

  private ObjectKeys() {}

  /** Where the bytes of the pending file with key {@code fileKey} are uploaded. */
  public static String staging(String fileKey) {
    return STAGING_PREFIX + fileKey;
  }

  /** The prefix of every staged upload of an account. */
  public static String stagingPrefix(UUID ownerId) {
    return STAGING_PREFIX + ownerId + "/";
  }

  /** The file key a staging key stands for. */
  public static String stagedFileKey(String stagingKey) {
    if (!stagingKey.startsWith(STAGING_PREFIX)) {
      throw new IllegalArgumentException("not a staging key: " + stagingKey);
    }
    return stagingKey.substring(STAGING_PREFIX.length());
  }

  /** {@code {ownerId}/{fileId}/{sanitisedName}} in the uploads bucket. */
  public static String upload(UUID ownerId, UUID fileId, String name) {
    return ownerId + "/" + fileId + "/" + sanitise(name);
  }

  /** {@code {ownerId}/{jobId}/parts/{index}.{attempt}} in the results bucket. */
  public static String part(UUID ownerId, UUID jobId, int index, int attempt) {
    return ownerId + "/" + jobId + "/parts/" + index + "." + attempt;
  }

  /** Error records of a shard, beside its part. */
  public static String errorPart(UUID ownerId, UUID jobId, int index, int attempt) {
    return ownerId + "/" + jobId + "/errors/" + index + "." + attempt;
  }

  /** The prefix under which a job's parts live. */
  public static String partsPrefix(UUID ownerId, UUID jobId) {
    return ownerId + "/" + jobId + "/parts/";
  }

  /** {@code {ownerId}/{jobId}/{inputName}.out} in the results bucket. */
  public static String output(UUID ownerId, UUID jobId, String inputName) {
    return ownerId + "/" + jobId + "/" + sanitise(inputName) + ".out";
  }

  /**
   * A file name safe as one key segment: NFC, no control characters, no slashes or backslashes, no
   * leading dots, at most 120 characters; never empty.
   */
  public static String sanitise(String name) {
    String normal = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(normal.length());
    normal
        .codePoints()
        .forEach(
            cp -> {
              boolean safe =
                  Character.isLetterOrDigit(cp) || cp == '.' || cp == '-' || cp == '_' || cp == ' ';
              out.appendCodePoint(safe ? cp : '_');
            });
    String cleaned = out.toString().strip().replaceAll("\\.{2,}", ".");
    while (cleaned.startsWith(".")) {
      cleaned = cleaned.substring(1);
    }
    if (cleaned.length() > MAX_NAME_CHARS) {
      cleaned = cleaned.substring(cleaned.length() - MAX_NAME_CHARS);
    }
    return cleaned.isEmpty() ? "file" : cleaned.replace(' ', '_');
  }
}
