package dev.kiln.api.service;

import dev.kiln.api.errors.ApiException;
import dev.kiln.client.api.ReleasesView;
import dev.kiln.protocol.release.ReleaseLog;
import dev.kiln.protocol.storage.ObjectStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The release records {@code kiln release} writes to the ops bucket, read with the CLI's own {@link
 * ReleaseLog}. Without an ops bucket ({@code releases.opsBucket}) it answers an empty list with a
 * note. Thread-safe.
 */
public final class ReleaseHistory {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseHistory.class);

  private final ReleaseLog log;
  private final String bucket;

  /** {@code bucket} may be null: releases are then not shown. */
  public ReleaseHistory(ObjectStore store, String bucket) {
    this.bucket = bucket == null || bucket.isBlank() ? null : bucket;
    this.log = this.bucket == null ? null : store.releaseLog(this.bucket);
  }

  public ReleasesView newest(int limit) {
    if (log == null) {
      return new ReleasesView(
          List.of(),
          "No ops bucket is configured: set releases.opsBucket in the API's configuration to the"
              + " bucket kiln release writes to (<estate>-ops-<region>).");
    }
    try {
      return new ReleasesView(log.newest(limit), null);
    } catch (SdkException e) {
      LOG.warn("cannot read release records from s3://{}", bucket, e);
      throw ApiException.unavailable(
          "Cannot read the release records in s3://"
              + bucket
              + "/"
              + ReleaseLog.PREFIX
              + " ("
              + e.getMessage()
              + "); check releases.opsBucket and the API's S3 permissions.");
    }
  }
}
