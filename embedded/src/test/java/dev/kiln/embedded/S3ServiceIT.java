package dev.kiln.embedded;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** S3Proxy as local mode runs it: every object flushed to disk before it is acknowledged. */
class S3ServiceIT {

  private static final int MIB = 1024 * 1024;

  @TempDir static Path dataDir;

  private static S3Service s3;
  private static S3Client client;

  @BeforeAll
  static void start() {
    s3 =
        S3Service.start(
            dataDir.resolve("s3"),
            S3Service.DEFAULT_ACCESS_KEY,
            S3Service.DEFAULT_SECRET_KEY,
            StackOptions.LOCAL_REGION,
            true);
    client = client(s3.endpoint());
    client.createBucket(b -> b.bucket("kiln-it"));
  }

  @AfterAll
  static void stop() {
    client.close();
    s3.close();
  }

  static S3Client client(S3Endpoint endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint.endpoint())
        .region(Region.of(endpoint.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void answersTheCorsPreflightOfAPageOnThisMachineAndRefusesOthers() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI object = s3.endpoint().endpoint().resolve("/kiln-it/upload.csv");

    HttpResponse<String> local = http.send(preflight(object, "http://localhost:8080"), ofString());
    HttpResponse<String> foreign =
        http.send(preflight(object, "http://localhost.example.com"), ofString());

    assertThat(local.statusCode()).isEqualTo(200);
    assertThat(local.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://localhost:8080");
    assertThat(local.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("PUT");
    assertThat(local.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .containsIgnoringCase("ETag");
    assertThat(foreign.statusCode()).isEqualTo(403);
  }

  private static HttpRequest preflight(URI object, String origin) {
    return HttpRequest.newBuilder(object)
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "content-type")
        .build();
  }

  @Test
  void storesObjectsAsFilesUnderTheRootDirectory() {
    client.putObject(b -> b.bucket("kiln-it").key("dir/a.txt"), RequestBody.fromString("hello"));

    assertThat(dataDir.resolve("s3/kiln-it/dir/a.txt")).hasContent("hello");
    assertThat(client.getObjectAsBytes(b -> b.bucket("kiln-it").key("dir/a.txt")).asUtf8String())
        .isEqualTo("hello");
  }

  @Test
  void servesByteRanges() {
    client.putObject(
        b -> b.bucket("kiln-it").key("range.txt"), RequestBody.fromString("0123456789abcdef"));

    ResponseBytes<GetObjectResponse> middle =
        client.getObjectAsBytes(b -> b.bucket("kiln-it").key("range.txt").range("bytes=4-9"));
    ResponseBytes<GetObjectResponse> tail =
        client.getObjectAsBytes(b -> b.bucket("kiln-it").key("range.txt").range("bytes=-3"));

    assertThat(middle.asUtf8String()).isEqualTo("456789");
    assertThat(middle.response().contentRange()).isEqualTo("bytes 4-9/16");
    assertThat(tail.asUtf8String()).isEqualTo("def");
  }

  @Test
  void acceptsAPresignedPutFromTheSdkPresigner() throws Exception {
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(s3.endpoint().endpoint())
            .region(Region.of(s3.endpoint().region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        s3.endpoint().accessKey(), s3.endpoint().secretKey())))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      PresignedPutObjectRequest presigned =
          presigner.presignPutObject(
              p ->
                  p.signatureDuration(Duration.ofMinutes(5))
                      .putObjectRequest(b -> b.bucket("kiln-it").key("upload/presigned.bin")));
      assertThat(presigned.url().toString())
          .startsWith(s3.endpoint().endpoint() + "/kiln-it/upload/presigned.bin?")
          .contains("X-Amz-Signature=");

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(presigned.url().toURI())
                      .PUT(HttpRequest.BodyPublishers.ofString("from a browser"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(
            client
                .getObjectAsBytes(b -> b.bucket("kiln-it").key("upload/presigned.bin"))
                .asUtf8String())
        .isEqualTo("from a browser");
  }

  @Test
  void rejectsAPresignedPutWithATamperedSignature() throws Exception {
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(s3.endpoint().endpoint())
            .region(Region.of(s3.endpoint().region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.endpoint().accessKey(), "wrong-secret")))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      URI url =
          presigner
              .presignPutObject(
                  p ->
                      p.signatureDuration(Duration.ofMinutes(5))
                          .putObjectRequest(b -> b.bucket("kiln-it").key("upload/forged.bin")))
              .url()
              .toURI();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(url).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void completesAMultipartUpload() {
    byte[] first = randomBytes(5 * MIB, 1);
    byte[] second = randomBytes(1234, 2);
    String uploadId =
        client.createMultipartUpload(b -> b.bucket("kiln-it").key("mpu.bin")).uploadId();
    String etag1 =
        client
            .uploadPart(
                b -> b.bucket("kiln-it").key("mpu.bin").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(first))
            .eTag();
    String etag2 =
        client
            .uploadPart(
                b -> b.bucket("kiln-it").key("mpu.bin").uploadId(uploadId).partNumber(2),
                RequestBody.fromBytes(second))
            .eTag();

    client.completeMultipartUpload(
        b ->
            b.bucket("kiln-it")
                .key("mpu.bin")
                .uploadId(uploadId)
                .multipartUpload(
                    CompletedMultipartUpload.builder()
                        .parts(
                            CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())
                        .build()));

    byte[] stored = client.getObjectAsBytes(b -> b.bucket("kiln-it").key("mpu.bin")).asByteArray();
    assertThat(stored).hasSize(first.length + second.length);
    assertThat(java.util.Arrays.copyOfRange(stored, 0, first.length)).isEqualTo(first);
    assertThat(java.util.Arrays.copyOfRange(stored, first.length, stored.length)).isEqualTo(second);
  }

  @Test
  void copiesAByteRangeOfAnObjectAsAPart() {
    byte[] source = randomBytes(6 * MIB, 3);
    client.putObject(b -> b.bucket("kiln-it").key("source.bin"), RequestBody.fromBytes(source));
    String uploadId =
        client.createMultipartUpload(b -> b.bucket("kiln-it").key("assembled.bin")).uploadId();

    // Part 1: the first 5 MiB of the source; part 2: bytes 100..199 of the source.
    String etag1 =
        client
            .uploadPartCopy(
                b ->
                    b.sourceBucket("kiln-it")
                        .sourceKey("source.bin")
                        .copySourceRange("bytes=0-" + (5 * MIB - 1))
                        .destinationBucket("kiln-it")
                        .destinationKey("assembled.bin")
                        .uploadId(uploadId)
                        .partNumber(1))
            .copyPartResult()
            .eTag();
    String etag2 =
        client
            .uploadPartCopy(
                b ->
                    b.sourceBucket("kiln-it")
                        .sourceKey("source.bin")
                        .copySourceRange("bytes=100-199")
                        .destinationBucket("kiln-it")
                        .destinationKey("assembled.bin")
                        .uploadId(uploadId)
                        .partNumber(2))
            .copyPartResult()
            .eTag();
    client.completeMultipartUpload(
        b ->
            b.bucket("kiln-it")
                .key("assembled.bin")
                .uploadId(uploadId)
                .multipartUpload(
                    CompletedMultipartUpload.builder()
                        .parts(
                            List.of(
                                CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                                CompletedPart.builder().partNumber(2).eTag(etag2).build()))
                        .build()));

    byte[] stored =
        client.getObjectAsBytes(b -> b.bucket("kiln-it").key("assembled.bin")).asByteArray();
    assertThat(stored).hasSize(5 * MIB + 100);
    assertThat(java.util.Arrays.copyOfRange(stored, 0, 5 * MIB))
        .isEqualTo(java.util.Arrays.copyOfRange(source, 0, 5 * MIB));
    assertThat(java.util.Arrays.copyOfRange(stored, 5 * MIB, stored.length))
        .isEqualTo(java.util.Arrays.copyOfRange(source, 100, 200));
  }

  @Test
  void rejectsAWrongSecret() {
    S3Endpoint wrong =
        new S3Endpoint(
            s3.endpoint().endpoint(), s3.endpoint().accessKey(), "nope", s3.endpoint().region());
    try (S3Client intruder = client(wrong)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(intruder::listBuckets)
          .hasMessageContaining("403");
    }
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
