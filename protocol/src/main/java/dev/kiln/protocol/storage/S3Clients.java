package dev.kiln.protocol.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds S3 clients from {@link S3Settings}. Stateless. */
public final class S3Clients {
  private S3Clients() {}

  public static S3Client client(S3Settings settings) {
    return client(settings, credentials(settings));
  }

  /** A client that signs with {@code credentials} whatever the settings name. */
  public static S3Client client(S3Settings settings, AwsCredentialsProvider credentials) {
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .httpClient(UrlConnectionHttpClient.create())
            .serviceConfiguration(config(settings));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  public static S3Presigner presigner(S3Settings settings) {
    return presigner(settings, credentials(settings));
  }

  /** A presigner that signs with {@code credentials} whatever the settings name. */
  public static S3Presigner presigner(S3Settings settings, AwsCredentialsProvider credentials) {
    var builder =
        S3Presigner.builder()
            .region(Region.of(settings.region()))
            .credentialsProvider(credentials)
            .serviceConfiguration(config(settings));
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static S3Configuration config(S3Settings settings) {
    return S3Configuration.builder()
        .pathStyleAccessEnabled(settings.endpoint().isPresent())
        .checksumValidationEnabled(false)
        .build();
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKey().isPresent() && settings.secretKey().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
