package dev.kiln.agent.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RecordReader;
import dev.kiln.model.plan.RecordSyntax;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The csv-spectrum corpus (test resources, with its licence): every file, cut into shards of every
 * size, reads back as the rows its JSON lists.
 */
class CsvSpectrumTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "comma_in_quotes",
        "empty",
        "empty_crlf",
        "escaped_quotes",
        "json",
        "newlines",
        "newlines_crlf",
        "quotes_and_newlines",
        "simple",
        "simple_crlf",
        "utf8"
      })
  void everyShardSizeReadsTheRowsOfTheCorpus(String name) throws IOException {
    byte[] csv = resource(name + ".csv");
    List<Map<String, String>> expected =
        JSON.readValue(resource(name + ".json"), new TypeReference<>() {});
    int headerLength = RecordSyntax.CSV.firstRecordLength(csv);
    List<String> columns = Csv.split(new String(csv, 0, headerLength, StandardCharsets.UTF_8));

    for (long shardBytes = 1; shardBytes <= csv.length; shardBytes++) {
      List<Map<String, String>> rows = new ArrayList<>();
      for (long start = 0; start < csv.length; start += shardBytes) {
        RecordReader reader =
            new RecordReader(
                offset -> new ByteArrayInputStream(csv, (int) offset, csv.length - (int) offset),
                start,
                Math.min(csv.length, start + shardBytes),
                RecordSyntax.CSV,
                true,
                1024);
        for (LineRecord record = reader.next(); record != null; record = reader.next()) {
          List<String> fields = Csv.split(record.text());
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 0; i < columns.size(); i++) {
            row.put(columns.get(i), fields.get(i));
          }
          rows.add(row);
        }
      }
      assertThat(rows).as("%s in shards of %d bytes", name, shardBytes).isEqualTo(expected);
    }
  }

  /**
   * The corpus's location_coordinates case is not comparable: its JSON is an object, not a list,
   * with another phone number than its CSV, whose degree signs are Latin-1 bytes. What it tests is
   * that quotes inside an unquoted field are ordinary characters, which this checks.
   */
  @Test
  void quotesInsideAnUnquotedFieldAreText() throws IOException {
    byte[] csv = resource("location_coordinates.csv");
    for (long shardBytes = 1; shardBytes <= csv.length; shardBytes++) {
      List<List<String>> rows = new ArrayList<>();
      for (long start = 0; start < csv.length; start += shardBytes) {
        RecordReader reader =
            new RecordReader(
                offset -> new ByteArrayInputStream(csv, (int) offset, csv.length - (int) offset),
                start,
                Math.min(csv.length, start + shardBytes),
                RecordSyntax.CSV,
                true,
                1024);
        for (LineRecord record = reader.next(); record != null; record = reader.next()) {
          rows.add(Csv.split(record.text()));
        }
      }
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0)).hasSize(4).startsWith("2095257564").endsWith("Modesto", "Stanislaus");
      assertThat(rows.get(0).get(1)).contains("37.8\"N", "17.9\"W");
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = CsvSpectrumTest.class.getResourceAsStream("/csv-spectrum/" + name)) {
      return in.readAllBytes();
    }
  }
}
