package dev.kiln.scheduler.prices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.scheduler.KilnSchedulerConfiguration;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code prices} section of the scheduler's YAML. */
class PriceRefreshFactoryTest {
  private final YamlConfigurationFactory<KilnSchedulerConfiguration> factory =
      new YamlConfigurationFactory<>(
          KilnSchedulerConfiguration.class,
          Validators.newValidator(),
          Jackson.newObjectMapper(),
          "dw");

  @Test
  void withoutAPricesSectionNothingIsFetchedAndOtherwiseHourly() throws Exception {
    PriceRefreshFactory absent = parse("scheduler: {}\n").getPrices();
    PriceRefreshFactory on = parse("prices: {refresh: true}\n").getPrices();

    assertThat(absent.isRefresh()).isFalse();
    assertThat(on.isRefresh()).isTrue();
    assertThat(on.getInterval()).isEqualTo(Duration.hours(1));
    assertThat(on.getRegion()).isEqualTo("us-east-1");
    assertThat(on.getPricingRegion()).isEqualTo("us-east-1");
    assertThat(on.getInstanceTypes()).isEmpty();
    assertThat(on.getAvailabilityZones()).isEmpty();
  }

  @Test
  void readsItsTypesZonesAndInterval() throws Exception {
    PriceRefreshFactory prices =
        parse(
                """
                prices:
                  refresh: true
                  interval: 15m
                  region: eu-west-1
                  pricingRegion: eu-central-1
                  instanceTypes: [g5.xlarge]
                  availabilityZones: [eu-west-1a, eu-west-1b]
                """)
            .getPrices();

    assertThat(prices.getInterval()).isEqualTo(Duration.minutes(15));
    assertThat(prices.getRegion()).isEqualTo("eu-west-1");
    assertThat(prices.getPricingRegion()).isEqualTo("eu-central-1");
    assertThat(prices.getInstanceTypes()).isEqualTo(List.of("g5.xlarge"));
    assertThat(prices.getAvailabilityZones()).isEqualTo(Set.of("eu-west-1a", "eu-west-1b"));
  }

  @Test
  void aBlankRegionIsRefused() {
    assertThatThrownBy(() -> parse("prices: {refresh: true, region: \"\"}\n"))
        .isInstanceOf(ConfigurationValidationException.class)
        .hasMessageContaining("prices.region");
  }

  private KilnSchedulerConfiguration parse(String pricesYaml) throws Exception {
    String yaml =
        "database: {driverClass: org.postgresql.Driver, url: \"jdbc:postgresql://db/kiln\"}\n"
            + pricesYaml;
    return factory.build(
        path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "scheduler.yml");
  }
}
