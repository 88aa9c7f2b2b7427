package dev.kiln.dropwizard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kiln.protocol.LogFields;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' configurations the web AMI installs log one JSON object a line (Dropwizard's JSON
 * layout) carrying the log context: the logging section of each Ansible template is read as
 * Dropwizard reads it, and a line it writes is parsed back.
 */
class DeployedLoggingTest {
  private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ansible/roles/kiln_api/templates/api.yml.j2",
        "ansible/roles/kiln_scheduler/templates/scheduler.yml.j2"
      })
  @SuppressWarnings("unchecked")
  void theDeployedServicesLogJsonLinesWithTheLogContext(String template) throws Exception {
    DefaultLoggingFactory logging =
        YAML.treeToValue(
            YAML.readTree(loggingSection(Path.of("..").resolve(template))).get("logging"),
            DefaultLoggingFactory.class);
    assertThat(logging.getAppenders()).hasSize(1);
    ConsoleAppenderFactory<ILoggingEvent> console =
        (ConsoleAppenderFactory<ILoggingEvent>) logging.getAppenders().get(0);
    LoggerContext context = new LoggerContext();
    @SuppressWarnings("unchecked")
    LayoutBase<ILoggingEvent> layout =
        (LayoutBase<ILoggingEvent>)
            (LayoutBase<?>) console.getLayout().build(context, TimeZone.getTimeZone("UTC"));
    layout.start();
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(),
            context.getLogger("dev.kiln.scheduler.assemble.Assembler"),
            Level.INFO,
            "job {} assembled",
            null,
            new Object[] {"j-1"});
    event.setMDCPropertyMap(Map.of(LogFields.JOB, "j-1", LogFields.REQUEST_ID, "r-1"));

    JsonNode line = JSON.readTree(layout.doLayout(event));

    assertThat(line.path("message").asText()).isEqualTo("job j-1 assembled");
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("mdc").path(LogFields.JOB).asText()).isEqualTo("j-1");
    assertThat(line.path("mdc").path(LogFields.REQUEST_ID).asText()).isEqualTo("r-1");
  }

  /** The template's top-level {@code logging:} section alone (the rest holds Jinja). */
  private static String loggingSection(Path template) throws Exception {
    List<String> section = new ArrayList<>();
    boolean inside = false;
    for (String line : Files.readAllLines(template)) {
      if (line.startsWith("logging:")) {
        inside = true;
      } else if (inside && !line.isEmpty() && !line.startsWith(" ") && !line.startsWith("#")) {
        break;
      }
      if (inside) {
        section.add(line);
      }
    }
    assertThat(section).as("a logging section in %s", template).isNotEmpty();
    return String.join("\n", section);
  }
}
