package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where the agent's S3 credentials come from: the instance profile on AWS, never its environment.
 */
class AgentStorageIT {
  private static final String ROLE = "kiln-agent";

  @Test
  void onAwsCredentialsComeFromTheInstanceProfileNotFromPropertiesOrTheEnvironment()
      throws Exception {
    String previousKey = System.getProperty("aws.accessKeyId");
    String previousSecret = System.getProperty("aws.secretAccessKey");
    try (FakeInstanceMetadata imds = new FakeInstanceMetadata()) {
      imds.set("iam/security-credentials/", ROLE)
          .set(
              "iam/security-credentials/" + ROLE,
              """
              {"Code":"Success","LastUpdated":"2030-01-01T00:00:00Z","Type":"AWS-HMAC",
               "AccessKeyId":"ASIAINSTANCEPROFILE","SecretAccessKey":"role-secret",
               "Token":"role-token","Expiration":"2099-01-01T00:00:00Z"}
              """);
      // The SDK's default chain would take these before the instance profile.
      System.setProperty("aws.accessKeyId", "AKIAFROMPROPERTIES");
      System.setProperty("aws.secretAccessKey", "property-secret");
      AgentConfig config =
          AgentConfig.fromEnvironment(
              Map.of(
                  "KILN_IMDS_ENDPOINT", imds.endpoint().toString(),
                  "KILN_S3_ACCESS_KEY", "AKIAFROMENVIRONMENT",
                  "KILN_S3_SECRET_KEY", "environment-secret"));

      AwsCredentialsProvider provider = AgentStorage.credentials(config);
      AwsCredentials credentials = provider.resolveCredentials();

      assertThat(credentials.accessKeyId()).isEqualTo("ASIAINSTANCEPROFILE");
      assertThat(credentials.secretAccessKey()).isEqualTo("role-secret");
      assertThat(imds.tokensIssued.get()).isPositive();
      if (provider instanceof AutoCloseable closeable) {
        closeable.close();
      }
    } finally {
      restore("aws.accessKeyId", previousKey);
      restore("aws.secretAccessKey", previousSecret);
    }
  }

  @Test
  void withAnS3CompatibleEndpointTheConfiguredKeysAreUsed() {
    AgentConfig config =
        AgentConfig.fromEnvironment(
            Map.of(
                "KILN_S3_ENDPOINT", "http://127.0.0.1:1",
                "KILN_S3_ACCESS_KEY", "local-key",
                "KILN_S3_SECRET_KEY", "local-secret",
                "KILN_IMDS_ENDPOINT", "off"));

    AwsCredentials credentials = AgentStorage.credentials(config).resolveCredentials();

    assertThat(credentials.accessKeyId()).isEqualTo("local-key");
    assertThat(credentials.secretAccessKey()).isEqualTo("local-secret");
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
  }
}
