package dev.kiln.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.scheduler.settings.SchedulerSettings;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code scheduler} section of the scheduler's YAML. */
class SchedulerFactoryTest {
  private final YamlConfigurationFactory<KilnSchedulerConfiguration> factory =
      new YamlConfigurationFactory<>(
          KilnSchedulerConfiguration.class,
          Validators.newValidator(),
          Jackson.newObjectMapper(),
          "dw");

  @Test
  void withoutASchedulerSectionEveryValueIsTheDefault() throws Exception {
    SchedulerSettings settings = parse("").getScheduler().settings();

    assertThat(settings.nodeId()).startsWith("scheduler-");
    assertThat(settings.withNodeId("n")).isEqualTo(SchedulerSettings.defaults("n"));
  }

  @Test
  void readsEveryKey() throws Exception {
    SchedulerSettings settings =
        parse(
                """
                scheduler:
                  nodeId: scheduler-a
                  leaderLease: 7s
                  tick: 2s
                  reapInterval: 100ms
                  shardBytes: 1048576
                  minShardBytes: 1024
                  maxShardsPerJob: 500
                  maxAttempts: 5
                  maxErrorRate: 0.2
                  sinkBatch: 300
                  processorCaps: {tf-savedmodel: 4}
                  partsRetention: 2h
                  outputRetention: 7d
                """)
            .getScheduler()
            .settings();

    assertThat(settings)
        .isEqualTo(
            new SchedulerSettings(
                "scheduler-a",
                Duration.ofSeconds(7),
                Duration.ofSeconds(2),
                Duration.ofMillis(100),
                1_048_576,
                1024,
                500,
                5,
                0.2,
                300,
                Map.of("tf-savedmodel", 4),
                Duration.ofHours(2),
                Duration.ofDays(7)));
  }

  @Test
  void refusesValuesBelowTheirMinimum() {
    assertThatThrownBy(() -> parse("scheduler: {sinkBatch: 0}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("scheduler.sinkBatch");
    assertThatThrownBy(() -> parse("scheduler: {leaderLease: null}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("scheduler.leaderLease");
  }

  @Test
  void theShippedConfigurationReads() throws Exception {
    KilnSchedulerConfiguration config =
        factory.build(new FileConfigurationSourceProvider(), "scheduler.yml");

    assertThat(config.getScheduler().settings().leaderLease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.getScheduler().settings().processorCaps()).isEmpty();
  }

  private KilnSchedulerConfiguration parse(String schedulerYaml) throws Exception {
    String yaml =
        "database: {driverClass: org.postgresql.Driver, url: \"jdbc:postgresql://db/kiln\"}\n"
            + schedulerYaml;
    return factory.build(
        path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "scheduler.yml");
  }
}
