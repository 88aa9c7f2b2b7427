package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estate as Terraform's release output describes it, not as names are usually spelled. */
class EstateTest {
  private static final String OUTPUTS =
      """
      {
        "url": {"sensitive": false, "type": "string", "value": "https://kiln.example.com"},
        "release": {
          "sensitive": false,
          "type": ["object", {}],
          "value": {
            "estate": "kiln-prod",
            "region": "us-east-1",
            "load_balancer_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/edge-7/50dc6c495c0c9188",
            "listener_arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/edge-7/50dc6c495c0c9188/f2f7dc8efc522ab2",
            "target_group_arns": {
              "blue": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-b/6d0ecf831eec9f09",
              "green": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-g/7d0ecf831eec9f09"
            },
            "web_group_names": {"blue": "asg-b", "green": "asg-g"},
            "web_launch_templates": {"blue": "lt-b", "green": "lt-g"},
            "scheduler_group_name": null,
            "scheduler_launch_template": null,
            "gpu_group_name": "asg-gpu",
            "gpu_launch_template": "lt-gpu",
            "cpu_group_name": "asg-cpu",
            "cpu_launch_template": "lt-cpu",
            "ops_bucket": "records-somewhere"
          }
        }
      }
      """;

  @Test
  void readsEveryNameAndArnFromTheReleaseOutput(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("outputs.json"), OUTPUTS);

    Estate estate = Estate.fromTerraformOutputs(file);

    assertThat(estate.name()).isEqualTo("kiln-prod");
    assertThat(estate.loadBalancer()).isEqualTo("edge-7");
    assertThat(estate.loadBalancerArn())
        .hasValueSatisfying(arn -> assertThat(arn).endsWith("/50dc6c495c0c9188"));
    assertThat(estate.targetGroup(Color.GREEN)).isEqualTo("tg-g");
    assertThat(estate.targetGroupArns().get(Color.BLUE)).contains("targetgroup/tg-b/");
    assertThat(estate.webGroup(Color.BLUE)).isEqualTo("asg-b");
    assertThat(estate.webTemplate(Color.GREEN)).isEqualTo("lt-g");
    assertThat(estate.schedulerGroup()).isEmpty();
    assertThat(estate.gpuGroup()).isEqualTo("asg-gpu");
    assertThat(estate.gpuTemplate()).isEqualTo("lt-gpu");
    assertThat(estate.agentGroup(Role.cpu)).isEqualTo("asg-cpu");
    assertThat(estate.agentTemplate(Role.cpu)).isEqualTo("lt-cpu");
    assertThat(estate.opsBucket()).contains("records-somewhere");
  }

  @Test
  void anEstateWithoutACpuGroupSaysWhatToApplyWhenOneIsRolled(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("outputs.json"),
            OUTPUTS
                .replace("\"cpu_group_name\": \"asg-cpu\",", "")
                .replace("\"cpu_launch_template\": \"lt-cpu\",", ""));

    Estate estate = Estate.fromTerraformOutputs(file);

    assertThat(estate.agentGroup(Role.gpu)).isEqualTo("asg-gpu");
    assertThatThrownBy(() -> estate.agentGroup(Role.cpu))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no CPU agent group")
        .hasMessageContaining("cpu_tier");
  }

  @Test
  void saysHowToWriteTheFileWhenItHoldsNoReleaseOutput(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("outputs.json"), "{\"url\": {\"value\": \"x\"}}");
    assertThatThrownBy(() -> Estate.fromTerraformOutputs(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("terraform output -json");
  }

  @Test
  void withoutOutputsTheNamesAreTheModulesOwn() {
    Estate estate = new Estate("kiln-dev");
    assertThat(estate.webGroup(Color.BLUE)).isEqualTo("kiln-dev-web-blue");
    assertThat(estate.webTemplate(Color.BLUE)).isEqualTo("kiln-dev-web-blue");
    assertThat(estate.gpuTemplate()).isEqualTo("kiln-dev-gpu");
    assertThat(estate.agentGroup(Role.cpu)).isEqualTo("kiln-dev-cpu");
    assertThat(estate.opsBucket()).isEqualTo(Optional.empty());
  }
}
