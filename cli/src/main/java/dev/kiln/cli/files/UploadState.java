package dev.kiln.cli.files;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.client.api.UploadView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a multipart upload has done so far, kept in a state file so that running {@code kiln upload}
 * again after Ctrl-C or a dropped connection uploads only the parts still missing.
 *
 * @param api the API's URL
 * @param path the local file, absolute
 * @param sizeBytes and {@code modifiedMillis}: the file as it was; a changed file starts over
 * @param fileId the pending file on the server
 * @param partSize bytes per part (the last one shorter)
 * @param parts the presigned URL of every part
 * @param urlsExpireAt after this the URLs are refused, and the upload starts over
 * @param done the ETag of every part uploaded, by part number
 */
record UploadState(
    String api,
    String path,
    long sizeBytes,
    long modifiedMillis,
    UUID fileId,
    String name,
    long partSize,
    List<UploadView.PartUrl> parts,
    Instant urlsExpireAt,
    Map<Integer, String> done) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  UploadState {
    parts = List.copyOf(parts);
    done = java.util.Collections.unmodifiableMap(new TreeMap<>(done));
  }

  UploadState withDone(int partNumber, String etag) {
    Map<Integer, String> more = new TreeMap<>(done);
    more.put(partNumber, etag);
    return new UploadState(
        api, path, sizeBytes, modifiedMillis, fileId, name, partSize, parts, urlsExpireAt, more);
  }

  /** The state file of an upload of {@code file} to {@code api}, in {@code dir}. */
  static Path fileFor(Path dir, String api, Path file) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((api + "\n" + file.toAbsolutePath().normalize()).getBytes(StandardCharsets.UTF_8));
      return dir.resolve(HexFormat.of().formatHex(sha.digest()).substring(0, 32) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Optional<UploadState> read(Path stateFile) {
    if (!Files.exists(stateFile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(stateFile.toFile(), UploadState.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes the state atomically: a crash leaves the old state or the new one. */
  void write(Path stateFile) throws IOException {
    Files.createDirectories(stateFile.getParent());
    Path temporary = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
    Files.write(temporary, JSON.writeValueAsBytes(this));
    Files.move(
        temporary, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether this state still describes {@code file} as it is now. */
  boolean describes(String currentApi, Path file, long size, long modified) {
    return api.equals(currentApi)
        && path.equals(file.toAbsolutePath().normalize().toString())
        && sizeBytes == size
        && modifiedMillis == modified;
  }
}
