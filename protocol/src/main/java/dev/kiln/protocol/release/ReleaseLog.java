package dev.kiln.protocol.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.model.release.ReleaseRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The release history in S3: one JSON object per step under {@code releases/<time>-<id>.json} in
 * the ops bucket. The CLI writes it; the operator console reads it with {@link #newest(int)}.
 * Depends only on the S3 client and Jackson. Thread-safe.
 */
public final class ReleaseLog {

  public static final String PREFIX = "releases/";
  private static final DateTimeFormatter KEY_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final S3Client s3;
  private final String bucket;
  private final ObjectMapper json =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  public ReleaseLog(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Stores the record and returns its key. */
  public String append(ReleaseRecord record) {
    String key = PREFIX + KEY_TIME.format(record.at()) + "-" + record.id() + ".json";
    try {
      byte[] body = json.writeValueAsBytes(record);
      s3.putObject(
          put -> put.bucket(bucket).key(key).contentType("application/json"),
          RequestBody.fromBytes(body));
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write release record " + record.id(), e);
    }
  }

  /** The newest {@code limit} records, newest first. */
  public List<ReleaseRecord> newest(int limit) {
    List<String> keys = new ArrayList<>();
    for (S3Object object :
        s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(PREFIX)).contents()) {
      keys.add(object.key());
    }
    keys.sort(Comparator.reverseOrder());
    List<ReleaseRecord> records = new ArrayList<>();
    for (String key : keys.subList(0, Math.min(limit, keys.size()))) {
      try {
        records.add(
            json.readValue(
                s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray(),
                ReleaseRecord.class));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read release record " + key, e);
      }
    }
    return records;
  }
}
