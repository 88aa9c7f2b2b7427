package dev.kiln.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DemoDataTest {
  @Test
  void csvRowsAreWhatStringFormatWouldWrite() throws Exception {
    assertThat(written(5000, false, 3)).isEqualTo(formatted(5000, false, 3));
  }

  @Test
  void jsonLinesAreWhatStringFormatWouldWrite() throws Exception {
    assertThat(written(5000, true, 4)).isEqualTo(formatted(5000, true, 4));
  }

  private static String written(long rows, boolean jsonLines, long seed) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DemoData.write(out, rows, jsonLines, seed);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The rows as the generator wrote them with {@code String.format}, draw for draw. */
  private static String formatted(long rows, boolean jsonLines, long seed) {
    StringBuilder text = new StringBuilder();
    if (!jsonLines) {
      text.append(DemoData.CSV_HEADER).append('\n');
    }
    Random random = new Random(seed);
    float[] x = new float[4];
    for (long id = 0; id < rows; id++) {
      int species = random.nextInt(3);
      for (int j = 0; j < 4; j++) {
        float value =
            DemoModel.MEANS[species][j]
                + (float) random.nextGaussian() * DemoModel.STDDEVS[species][j];
        x[j] = Math.max(0.1f, Math.round(value * 10) / 10f);
      }
      String name = DemoModel.SPECIES.get(species);
      text.append(
              jsonLines
                  ? String.format(
                      Locale.ROOT,
                      "{\"id\":%d,\"sepal_length\":%.1f,\"sepal_width\":%.1f,"
                          + "\"petal_length\":%.1f,\"petal_width\":%.1f,\"species\":\"%s\"}",
                      id,
                      x[0],
                      x[1],
                      x[2],
                      x[3],
                      name)
                  : String.format(
                      Locale.ROOT, "%d,%.1f,%.1f,%.1f,%.1f,%s", id, x[0], x[1], x[2], x[3], name))
          .append('\n');
    }
    return text.toString();
  }
}
