package dev.kiln.agent;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(UTF_8));
  }

  /** Standard input that must not be read. */
  private static final InputStream UNTOUCHED =
      new InputStream() {
        @Override
        public int read() {
          throw new AssertionError("standard input was read");
        }
      };

  @Test
  void standardInputSettingsWinOverTheEnvironmentWhenAskedFor() throws Exception {
    Map<String, String> env =
        Map.of(
            "KILN_AGENT_SETTINGS", "stdin",
            "KILN_S3_ENDPOINT", "http://127.0.0.1:9000",
            "KILN_REDIS_URI", "redis://127.0.0.1:6379");
    Map<String, String> settings =
        AgentSettings.read(
            env,
            stdin(
                "# secrets\n\nKILN_S3_ACCESS_KEY=key\nKILN_S3_SECRET_KEY=s3cr=t\n"
                    + "KILN_REDIS_URI=rediss://:token@redis:6379\n"));

    assertThat(settings)
        .containsEntry("KILN_S3_ACCESS_KEY", "key")
        .containsEntry("KILN_S3_SECRET_KEY", "s3cr=t")
        .containsEntry("KILN_REDIS_URI", "rediss://:token@redis:6379")
        .containsEntry("KILN_S3_ENDPOINT", "http://127.0.0.1:9000");
    AgentConfig config = AgentConfig.fromEnvironment(settings);
    assertThat(config.s3().accessKey()).contains("key");
    assertThat(config.s3().secretKey()).contains("s3cr=t");
    assertThat(config.redisUri()).isEqualTo("rediss://:token@redis:6379");
  }

  @Test
  void withoutTheSettingStandardInputIsNotRead() throws Exception {
    Map<String, String> env = Map.of("KILN_AGENT_ID", "a");
    assertThat(AgentSettings.read(env, UNTOUCHED)).isEqualTo(env);
    assertThat(AgentSettings.read(Map.of("KILN_AGENT_SETTINGS", "env"), UNTOUCHED))
        .containsOnlyKeys("KILN_AGENT_SETTINGS");
    assertThatThrownBy(() -> AgentSettings.read(Map.of("KILN_AGENT_SETTINGS", "file"), UNTOUCHED))
        .hasMessageContaining("stdin or env");
  }

  @Test
  void aMalformedLineIsRefusedByNumberWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                AgentSettings.read(
                    Map.of("KILN_AGENT_SETTINGS", "stdin"),
                    stdin("KILN_AGENT_ID=a\nAWS_SECRET_ACCESS_KEY=hunter2\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void namesTheSecretsAnEnvironmentHolds() {
    assertThat(
            AgentSettings.secretsIn(
                Map.of(
                    "KILN_S3_ACCESS_KEY", "key",
                    "KILN_S3_SECRET_KEY", "secret",
                    "KILN_REDIS_URI", "rediss://:token@redis:6379")))
        .containsExactly("KILN_S3_ACCESS_KEY", "KILN_S3_SECRET_KEY", "KILN_REDIS_URI");
    assertThat(AgentSettings.secretsIn(Map.of("KILN_REDIS_URI", "redis://127.0.0.1:6379")))
        .isEmpty();
  }

  @Test
  void onAwsTheConfigurationCarriesNoKeysWhateverTheEnvironmentSays() {
    AgentConfig config =
        AgentConfig.fromEnvironment(
            Map.of(
                "KILN_S3_ACCESS_KEY", "from-env",
                "KILN_S3_SECRET_KEY", "from-env",
                "AWS_ACCESS_KEY_ID", "from-env"));
    assertThat(config.s3().endpoint()).isEmpty();
    assertThat(config.s3().accessKey()).isEmpty();
    assertThat(config.s3().secretKey()).isEmpty();
  }
}
