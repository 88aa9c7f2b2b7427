package dev.kiln.scheduler.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.model.fleet.CapacityLimits;
import dev.kiln.scheduler.KilnSchedulerConfiguration;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code fleet} section of the scheduler's YAML. */
class FleetFactoryTest {
  private final YamlConfigurationFactory<KilnSchedulerConfiguration> factory =
      new YamlConfigurationFactory<>(
          KilnSchedulerConfiguration.class,
          Validators.newValidator(),
          Jackson.newObjectMapper(),
          "dw");

  @Test
  void withoutAFleetSectionNothingIsSized() throws Exception {
    assertThat(parse("scheduler: {}\n").getFleet()).isInstanceOf(FleetFactory.NoFleetFactory.class);
    assertThat(parse("fleet: {type: none}\n").getFleet())
        .isInstanceOf(FleetFactory.NoFleetFactory.class);
  }

  @Test
  void anAwsFleetReadsItsGroupAndLimits() throws Exception {
    FleetFactory fleet =
        parse(
                """
                fleet:
                  type: aws
                  groupName: kiln-agents
                  region: eu-west-1
                  endpoint: http://127.0.0.1:5000
                  minAgents: 0
                  maxAgents: 12
                  slotsPerAgent: 2
                  targetDrain: 3m
                  idleBeforeZero: 15m
                  monthlyBudgetUsd: 500
                """)
            .getFleet();

    assertThat(fleet).isInstanceOf(AwsFleetFactory.class);
    AwsFleetFactory aws = (AwsFleetFactory) fleet;
    assertThat(aws.getGroupName()).isEqualTo("kiln-agents");
    assertThat(aws.getRegion()).isEqualTo("eu-west-1");
    assertThat(aws.getEndpoint()).isEqualTo(URI.create("http://127.0.0.1:5000"));
    assertThat(fleet.limits())
        .isEqualTo(
            new CapacityLimits(0, 12, 2, Duration.ofMinutes(3), Duration.ofMinutes(15), 500.0));
  }

  @Test
  void aLocalFleetKeepsTwoAgentsAndHasNoBudgetUnlessGivenOne() throws Exception {
    FleetFactory fleet =
        parse(
                """
                fleet:
                  type: local
                  classpath: /opt/kiln/lib/*
                  logDir: /tmp/kiln-logs
                  environment: {KILN_REDIS_URI: "redis://127.0.0.1:6379"}
                  jvmArgs: [-Xmx1g]
                """)
            .getFleet();

    LocalFleetFactory local = (LocalFleetFactory) fleet;
    assertThat(local.getEnvironment())
        .isEqualTo(Map.of("KILN_REDIS_URI", "redis://127.0.0.1:6379"));
    assertThat(local.getJvmArgs()).isEqualTo(List.of("-Xmx1g"));
    assertThat(fleet.limits().minAgents()).isEqualTo(2);
    assertThat(fleet.limits().maxAgents()).isGreaterThanOrEqualTo(2);
    assertThat(fleet.limits().monthlyBudget()).isInfinite();
  }

  @Test
  void aMaximumBelowTheMinimumIsRefused() {
    assertThatThrownBy(() -> parse("fleet: {type: local, minAgents: 3, maxAgents: 2}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("fleet.maxAgents must be at least fleet.minAgents");
    assertThatThrownBy(() -> parse("fleet: {type: aws}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("groupName");
  }

  private KilnSchedulerConfiguration parse(String fleetYaml) throws Exception {
    String yaml =
        "database: {driverClass: org.postgresql.Driver, url: \"jdbc:postgresql://db/kiln\"}\n"
            + fleetYaml;
    return factory.build(
        path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "scheduler.yml");
  }
}
