package dev.kiln.protocol.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ShardTaskJsonTest {
  private static final ObjectMapper DATABIND =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final ShardTask FULL =
      new ShardTask(
          UUID.randomUUID(),
          41,
          UUID.randomUUID(),
          "tf-classify",
          -3,
          5,
          "kiln-uploads",
          "uploads/owner/file/na\"me \\ é.csv",
          1L << 33,
          (1L << 33) + 65_536,
          1L << 34,
          "CSV",
          "id,\"text, quoted\",\t\u001f\u001e✓",
          "uploads/owner/model/model.zip",
          "etag-1",
          Map.of("threshold", "0.5", "label", "a \"b\""),
          "kiln-results",
          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  private static final ShardTask SPARSE =
      new ShardTask(
          UUID.randomUUID(),
          0,
          UUID.randomUUID(),
          "parse",
          0,
          3,
          "b",
          "k",
          0,
          10,
          10,
          "TEXT",
          null,
          null,
          null,
          Map.of(),
          "r");

  @Test
  void roundTripsEveryFieldAndNull() {
    assertThat(ShardTaskJson.read(ShardTaskJson.write(FULL))).isEqualTo(FULL);
    assertThat(ShardTaskJson.read(ShardTaskJson.write(SPARSE))).isEqualTo(SPARSE);
  }

  @Test
  void speaksTheSameJsonAsDataBinding() throws Exception {
    for (ShardTask task : new ShardTask[] {FULL, SPARSE}) {
      assertThat(ShardTaskJson.read(DATABIND.writeValueAsString(task))).isEqualTo(task);
      assertThat(DATABIND.readValue(ShardTaskJson.write(task), ShardTask.class)).isEqualTo(task);
      assertThat(DATABIND.readTree(ShardTaskJson.write(task)))
          .isEqualTo(DATABIND.readTree(DATABIND.writeValueAsString(task)));
    }
  }

  @Test
  void skipsFieldsItDoesNotKnow() {
    String written = ShardTaskJson.write(SPARSE);
    String withExtras =
        "{\"future\":{\"nested\":[1,{\"x\":null}]},\"flag\":true,"
            + written.substring(1, written.length() - 1)
            + ",\"later\":[\"a\"]}";
    assertThat(ShardTaskJson.read(withExtras)).isEqualTo(SPARSE);
  }

  @Test
  void aMissingParamsObjectReadsAsNoParams() {
    String json = ShardTaskJson.write(SPARSE).replace("\"params\":{}", "\"params\":null");
    assertThat(json).contains("\"params\":null");
    assertThat(ShardTaskJson.read(json).params()).isEmpty();
  }

  @Test
  void refusesWhatIsNotATask() {
    assertThatThrownBy(() -> ShardTaskJson.read("[1,2]"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot decode shard task");
    assertThatThrownBy(() -> ShardTaskJson.read("{\"idx\":1}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("without job or owner");
    assertThatThrownBy(() -> ShardTaskJson.read("{\"jobId\":\"not-a-uuid\"}"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ShardTaskJson.read("{\"jobId\":"))
        .isInstanceOf(IllegalStateException.class);
  }
}
