package dev.kiln.bench.inference;

import dev.kiln.agent.demo.DemoModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks the platform's output of {@code tf-savedmodel} over the demo CSV, so a broken run cannot
 * pass for a fast one: one output row per input row, in input order (same ids), and every predicted
 * class equal to the demo model's reference arithmetic (or, at a tie within float rounding, either
 * of the tied classes).
 */
final class OutputVerifier {
  private OutputVerifier() {}

  /** What the check found; {@code problem} is null when the output is right. */
  record Result(long rows, long classesAgreeing, String problem) {
    boolean passed() {
      return problem == null;
    }
  }

  static Result verify(Path input, Path output) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
        BufferedReader out = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
      List<String> inputColumns = List.of(in.readLine().split(","));
      String outputHeader = out.readLine();
      if (outputHeader == null) {
        return new Result(0, 0, "the output is empty");
      }
      int classColumn = List.of(outputHeader.split(",")).indexOf("class_id");
      if (classColumn < 0) {
        return new Result(0, 0, "the output header has no class_id: " + outputHeader);
      }
      int[] featureColumns = new int[4];
      for (int j = 0; j < 4; j++) {
        featureColumns[j] = inputColumns.indexOf(DemoModel.FEATURES.get(j));
      }
      float[] x = new float[4];
      long rows = 0;
      long agreeing = 0;
      for (String inLine = in.readLine(); inLine != null; inLine = in.readLine()) {
        String outLine = out.readLine();
        String[] fields = inLine.split(",");
        if (outLine == null) {
          return new Result(rows, agreeing, "the output ends before input row " + fields[0]);
        }
        rows++;
        String[] outFields = outLine.split(",");
        if (!outFields[0].equals(fields[0])) {
          return new Result(
              rows, agreeing, "input row " + fields[0] + " met output row " + outFields[0]);
        }
        for (int j = 0; j < 4; j++) {
          x[j] = Float.parseFloat(fields[featureColumns[j]]);
        }
        if (DemoModel.agrees(x, Integer.parseInt(outFields[classColumn]))) {
          agreeing++;
        }
      }
      String extra = out.readLine();
      if (extra != null) {
        return new Result(rows, agreeing, "the output has rows the input does not: " + extra);
      }
      if (agreeing != rows) {
        return new Result(
            rows, agreeing, (rows - agreeing) + " predicted classes differ from the reference");
      }
      return new Result(rows, agreeing, null);
    }
  }
}
