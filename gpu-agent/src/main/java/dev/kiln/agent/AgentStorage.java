package dev.kiln.agent;

import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.protocol.storage.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The agent's object store, with credentials a model cannot read from the agent's environment. On
 * AWS (no {@code KILN_S3_ENDPOINT}) they come from the instance profile alone, through instance
 * metadata (IMDSv2), never from the SDK's default chain, which would take {@code
 * AWS_ACCESS_KEY_ID}-style variables, system properties or profile files first. With an
 * S3-compatible endpoint (local mode) they are the configuration's keys, which {@link
 * AgentSettings} can take from standard input. Stateless.
 */
final class AgentStorage {
  private AgentStorage() {}

  static ObjectStore create(AgentConfig config) {
    return ObjectStore.create(config.s3(), credentials(config));
  }

  /** The instance profile on AWS; the configured keys for an S3-compatible endpoint. */
  static AwsCredentialsProvider credentials(AgentConfig config) {
    S3Settings settings = config.s3();
    if (settings.endpoint().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              settings.accessKey().orElseThrow(), settings.secretKey().orElseThrow()));
    }
    var instanceProfile = InstanceProfileCredentialsProvider.builder();
    config.imdsEndpoint().ifPresent(uri -> instanceProfile.endpoint(uri.toString()));
    return instanceProfile.build();
  }
}
