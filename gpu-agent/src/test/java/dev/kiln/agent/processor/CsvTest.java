package dev.kiln.agent.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void splitsPlainQuotedAndEmptyFields() {
    assertThat(Csv.split("a,b,c")).containsExactly("a", "b", "c");
    assertThat(Csv.split("\"a,1\",\"say \"\"hi\"\"\",")).containsExactly("a,1", "say \"hi\"", "");
    assertThat(Csv.split(",,")).containsExactly("", "", "");
    assertThat(Csv.split("")).containsExactly("");
    assertThat(Csv.split("x")).containsExactly("x");
  }

  @Test
  void rejectsBrokenQuoting() {
    assertThatThrownBy(() -> Csv.split("\"open,b")).hasMessageContaining("nclosed quote");
    assertThatThrownBy(() -> Csv.split("\"a\"b,c")).hasMessageContaining("after closing quote");
  }

  @Test
  void aQuotedFieldMayHoldLineBreaks() {
    assertThat(Csv.split("1,\"multi\nline\"")).containsExactly("1", "multi\nline");
  }

  @Test
  void joinQuotesOnlyWhatNeedsIt() {
    List<String> fields = List.of("1", "a,b", "say \"hi\"", "");
    String line = Csv.join(fields);
    assertThat(line).isEqualTo("1,\"a,b\",\"say \"\"hi\"\"\",");
    assertThat(Csv.split(line)).isEqualTo(fields);
  }
}
