package dev.kiln.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.demo.DemoModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a job's output against its input, line by line: the same records, in the same order, each
 * once. For {@code tf-savedmodel} over the demo data it also compares every predicted class with
 * the model's reference arithmetic in Java; where two classes are within float rounding of a tie,
 * either counts, and such rows are counted apart.
 */
final class OutputCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the check found. */
  record Result(
      long records,
      long mismatches,
      long predictionsChecked,
      long predictionsAgreeing,
      long predictionsAtTies,
      String firstProblem) {
    boolean recordsMatch() {
      return mismatches == 0 && firstProblem == null;
    }

    /** Every prediction is the reference class, or one within float rounding of a tie. */
    boolean predictionsMatch() {
      return predictionsAgreeing + predictionsAtTies == predictionsChecked;
    }
  }

  private OutputCheck() {}

  /** Compares a CSV demo input with the output of {@code processor} over it. */
  static Result check(Path input, Path output, String processor) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedReader out = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
      List<String> inputColumns = List.of(in.readLine().split(","));
      boolean tf = processor.equals("tf-savedmodel");
      List<String> outputColumns = tf ? List.of(out.readLine().split(",")) : List.of();
      int classColumn = outputColumns.indexOf("class_id");
      long records = 0;
      long mismatches = 0;
      long agreeing = 0;
      long checked = 0;
      long atTies = 0;
      String problem = null;
      for (String inLine = in.readLine(); inLine != null; inLine = in.readLine()) {
        String outLine = out.readLine();
        records++;
        String[] fields = inLine.split(",");
        if (outLine == null) {
          return new Result(
              records,
              mismatches + 1,
              checked,
              agreeing,
              atTies,
              "the output ends before input record " + fields[0]);
        }
        String outId = tf ? outLine.substring(0, outLine.indexOf(',')) : idOfJson(outLine);
        if (!fields[0].equals(outId)) {
          mismatches++;
          if (problem == null) {
            problem = "input record " + fields[0] + " met output record " + outId;
          }
          continue;
        }
        if (tf && classColumn >= 0) {
          checked++;
          float[] x = new float[4];
          for (int j = 0; j < 4; j++) {
            x[j] = Float.parseFloat(fields[inputColumns.indexOf(DemoModel.FEATURES.get(j))]);
          }
          int predicted = Integer.parseInt(outLine.split(",")[classColumn]);
          if (predicted == DemoModel.classify(x)) {
            agreeing++;
          } else if (DemoModel.agrees(x, predicted)) {
            atTies++;
          }
        }
      }
      String extra = out.readLine();
      if (extra != null && problem == null) {
        problem = "the output has records the input does not: " + extra;
      }
      return new Result(records, mismatches, checked, agreeing, atTies, problem);
    }
  }

  private static String idOfJson(String line) throws IOException {
    JsonNode node = JSON.readTree(line);
    return node.path("id").asText();
  }
}
