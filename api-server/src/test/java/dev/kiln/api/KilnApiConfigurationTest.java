package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.Validator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The example configuration reads with its documented keys, and each section is validated. */
class KilnApiConfigurationTest {
  private static final String EXAMPLE = "config/kiln-api.example.yml";

  private final Validator validator = Validators.newValidator();

  @Test
  void theExampleConfigurationReadsIntoEverySection() throws Exception {
    KilnApiConfiguration config =
        new YamlConfigurationFactory<>(
                KilnApiConfiguration.class,
                validator,
                KilnApiApplication.configure(Jackson.newObjectMapper()),
                "dw")
            .build(new FileConfigurationSourceProvider(), EXAMPLE);

    assertThat(config.getAuth().getAccessTokenTtl()).isEqualTo(Duration.minutes(15));
    assertThat(config.getAuth().getFreeLoginFailuresPerAddress()).isEqualTo(50);
    assertThat(config.getFiles().getQuotaPerAccount()).isEqualTo(DataSize.gibibytes(50));
    assertThat(config.getFiles().getRetention()).isEqualTo(Duration.days(30));
    assertThat(config.getJobs().getModelProcessors()).containsExactly("tf-savedmodel");
    assertThat(config.getJobs().getReadsInFlight()).isEqualTo(1);
    assertThat(config.getHttp().getMaxRequestBody()).isEqualTo(DataSize.kibibytes(256));
    assertThat(config.getHttp().isHsts()).isTrue();
    assertThat(config.getReleases().getOpsBucket()).isEqualTo("kiln-ops-us-east-1");
  }

  @Test
  void listsOfProcessorsAndOriginsRefuseMissingEntries() {
    JobSettings jobs = new JobSettings();
    jobs.setModelProcessors(null);
    jobs.setProcessors(Arrays.asList("parse", null));
    HttpSettings http = new HttpSettings();
    http.setCorsAllowedOrigins(Arrays.asList("https://kiln.example.com", null));

    assertThat(validator.validate(jobs)).hasSize(2);
    assertThat(validator.validate(http)).hasSize(1);
    assertThat(validator.validate(new JobSettings())).isEmpty();
    assertThat(validator.validate(new HttpSettings())).isEmpty();
  }
}
