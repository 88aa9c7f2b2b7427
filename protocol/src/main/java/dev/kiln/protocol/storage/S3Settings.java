package dev.kiln.protocol.storage;

import java.net.URI;
import java.util.Optional;

/**
 * Where the object store is: AWS S3 (no endpoint, default credentials) or an S3-compatible server
 * (endpoint, static keys, path-style addressing).
 */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    Optional<String> accessKey,
    Optional<String> secretKey,
    String uploadsBucket,
    String resultsBucket) {

  /** Bucket names by the one-per-region rule. */
  public static S3Settings aws(String region) {
    return new S3Settings(
        Optional.empty(),
        region,
        Optional.empty(),
        Optional.empty(),
        "kiln-uploads-" + region,
        "kiln-results-" + region);
  }

  public static S3Settings compatible(
      URI endpoint, String region, String accessKey, String secretKey) {
    return new S3Settings(
        Optional.of(endpoint),
        region,
        Optional.of(accessKey),
        Optional.of(secretKey),
        "kiln-uploads-" + region,
        "kiln-results-" + region);
  }

  public S3Settings withBuckets(String uploads, String results) {
    return new S3Settings(endpoint, region, accessKey, secretKey, uploads, results);
  }
}
