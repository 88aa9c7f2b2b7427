package dev.kiln.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCsvTest {
  @Test
  void readsSecondsAHeaderAndCommentsAndSortsByTime(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("orders.csv");
    Files.writeString(
        file,
        """
        time,owner,bytes,processor
        # the morning batch
        600,acme,1048576,parse

        0.5, globex ,67108864,tf-savedmodel
        """);
    Trace trace = TraceCsv.read(file);
    assertThat(trace.name()).isEqualTo("orders");
    assertThat(trace.submissions())
        .containsExactly(
            new Submission(0.5, "globex", 67_108_864, "tf-savedmodel"),
            new Submission(600, "acme", 1_048_576, "parse"));
    assertThat(trace.horizonSeconds()).isEqualTo(600);
  }

  @Test
  void countsInstantsFromTheEarliestOne() {
    Trace trace =
        TraceCsv.parse(
            "day",
            List.of(
                "2026-03-02T10:05:00Z,acme,10,parse",
                "2026-03-02T10:00:00Z,acme,20,tf-savedmodel"));
    assertThat(trace.submissions()).extracting(Submission::atSeconds).containsExactly(0.0, 300.0);
  }

  @Test
  void namesTheLineThatIsWrong() {
    assertThatThrownBy(() -> TraceCsv.parse("bad", List.of("0,acme,10,parse", "5,acme,10")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("time,owner,bytes,processor");
    assertThatThrownBy(() -> TraceCsv.parse("bad", List.of("soon,acme,10,parse")))
        .hasMessageContaining("line 1")
        .hasMessageContaining("neither seconds nor an instant");
    assertThatThrownBy(() -> TraceCsv.parse("bad", List.of("3,acme,-4,parse")))
        .hasMessageContaining("line 1")
        .hasMessageContaining("0 bytes or more");
  }
}
