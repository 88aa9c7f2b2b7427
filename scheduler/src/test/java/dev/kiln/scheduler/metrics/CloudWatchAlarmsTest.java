package dev.kiln.scheduler.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every CloudWatch alarm in terraform/ on a {@code Kiln} metric watches one the scheduler
 * publishes: an alarm on a metric nobody publishes can never fire.
 */
class CloudWatchAlarmsTest {
  private static final Path TERRAFORM = Path.of("..", "terraform");
  private static final Pattern ALARM =
      Pattern.compile("resource\\s+\"aws_cloudwatch_metric_alarm\"\\s+\"([^\"]+)\"\\s*\\{");
  private static final Pattern NAMESPACE = Pattern.compile("namespace\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern METRIC = Pattern.compile("metric_name\\s*=\\s*\"([^\"]+)\"");

  /** A {@code Kiln} metric an alarm watches. */
  record Watched(String file, String alarm, String namespace, String metric) {}

  @Test
  void everyKilnMetricAnAlarmWatchesIsPublished() throws IOException {
    List<Watched> watched = kilnMetricsWatched();

    assertThat(watched).as("Kiln alarms found in %s", TERRAFORM.toAbsolutePath()).isNotEmpty();
    assertThat(watched)
        .allSatisfy(
            metric -> {
              assertThat(metric.namespace()).isEqualTo(CloudWatchMetrics.NAMESPACE);
              assertThat(CloudWatchMetrics.PUBLISHED)
                  .as(
                      "%s in %s watches %s, which no code publishes",
                      metric.alarm(), metric.file(), metric.metric())
                  .contains(metric.metric());
            });
  }

  @Test
  void theScanFindsAnAlarmOnAnUnpublishedMetric() {
    String tf =
        """
        resource "aws_cloudwatch_metric_alarm" "ghost" {
          namespace   = "Kiln"
          metric_name = "NothingPublishesThis"
        }
        resource "aws_cloudwatch_metric_alarm" "alb" {
          namespace   = "AWS/ApplicationELB"
          metric_name = "HTTPCode_Target_5XX_Count"
        }
        """;

    assertThat(watchedIn("test.tf", tf))
        .containsExactly(new Watched("test.tf", "ghost", "Kiln", "NothingPublishesThis"));
  }

  private static List<Watched> kilnMetricsWatched() throws IOException {
    List<Watched> watched = new ArrayList<>();
    try (Stream<Path> files = Files.walk(TERRAFORM)) {
      for (Path file :
          files
              .filter(path -> path.toString().endsWith(".tf"))
              .filter(path -> !path.toString().contains(".terraform"))
              .collect(java.util.stream.Collectors.toCollection(TreeSet::new))) {
        watched.addAll(watchedIn(file.toString(), read(file)));
      }
    }
    return watched;
  }

  /**
   * The Kiln metrics each alarm block of {@code tf} names (namespace {@code Kiln}, {@code Kiln/*}).
   */
  static List<Watched> watchedIn(String file, String tf) {
    List<Watched> watched = new ArrayList<>();
    Matcher alarm = ALARM.matcher(tf);
    while (alarm.find()) {
      String block = block(tf, alarm.end());
      Matcher namespace = NAMESPACE.matcher(block);
      Matcher metric = METRIC.matcher(block);
      while (namespace.find() && metric.find()) {
        String name = namespace.group(1);
        if (name.equals("Kiln") || name.startsWith("Kiln/")) {
          watched.add(new Watched(file, alarm.group(1), name, metric.group(1)));
        }
      }
    }
    return watched;
  }

  /** The text up to the brace that closes the block opened just before {@code from}. */
  private static String block(String tf, int from) {
    int depth = 1;
    for (int i = from; i < tf.length(); i++) {
      char c = tf.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return tf.substring(from, i);
      }
    }
    return tf.substring(from);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
