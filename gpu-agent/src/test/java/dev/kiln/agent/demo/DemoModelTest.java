package dev.kiln.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class DemoModelTest {
  @TempDir Path dir;

  @Test
  void theExportedModelServesItsSignatureAndClassifiesTheDemoData() throws Exception {
    long started = System.nanoTime();
    Path model = DemoModel.build(dir.resolve("model"));
    long builtMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.println("demo model built in " + builtMillis + " ms");

    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    DemoData.write(csv, 2000, false, 7);
    List<String> lines = List.of(csv.toString(StandardCharsets.UTF_8).split("\n"));
    assertThat(lines.get(0)).isEqualTo(DemoData.CSV_HEADER);
    int n = lines.size() - 1;
    float[][] columns = new float[4][n];
    String[] species = new String[n];
    for (int i = 0; i < n; i++) {
      String[] fields = lines.get(i + 1).split(",");
      assertThat(fields[0]).isEqualTo(String.valueOf(i));
      for (int j = 0; j < 4; j++) {
        columns[j][i] = Float.parseFloat(fields[j + 1]);
      }
      species[i] = fields[5];
    }

    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      Signature signature = bundle.function(Signature.DEFAULT_KEY).signature();
      assertThat(signature.inputNames()).containsExactlyInAnyOrderElementsOf(DemoModel.FEATURES);
      assertThat(signature.getInputs().get("petal_width").dataType).isEqualTo(DataType.DT_FLOAT);
      assertThat(signature.getInputs().get("petal_width").shape.asArray()).containsExactly(-1L);
      assertThat(signature.outputNames()).containsExactlyInAnyOrder("probabilities", "class_id");
      Map<String, Tensor> inputs = new HashMap<>();
      for (int j = 0; j < 4; j++) {
        inputs.put(
            DemoModel.FEATURES.get(j),
            TFloat32.tensorOf(Shape.of(n), DataBuffers.of(columns[j], true, false)));
      }
      int right = 0;
      try (Result result = bundle.function(Signature.DEFAULT_KEY).call(inputs)) {
        TInt64 classes = (TInt64) result.get("class_id").orElseThrow();
        TFloat32 probabilities = (TFloat32) result.get("probabilities").orElseThrow();
        assertThat(probabilities.shape()).isEqualTo(Shape.of(n, 3));
        for (int i = 0; i < n; i++) {
          int predicted = (int) classes.getLong(i);
          float[] x = {columns[0][i], columns[1][i], columns[2][i], columns[3][i]};
          assertThat(DemoModel.agrees(x, predicted)).as("row %d: class %d", i, predicted).isTrue();
          float sum = 0;
          for (int k = 0; k < 3; k++) {
            sum += probabilities.getFloat(i, k);
          }
          assertThat(sum).isBetween(0.999f, 1.001f);
          if (DemoModel.SPECIES.get(predicted).equals(species[i])) {
            right++;
          }
        }
      } finally {
        inputs.values().forEach(Tensor::close);
      }
      assertThat(right / (double) n).isGreaterThan(0.9);
    }
  }

  @Test
  void eitherClassAgreesAtATieAndOnlyTheNearestAwayFromOne() {
    float[] tie = new float[4];
    for (int j = 0; j < 4; j++) {
      tie[j] = (DemoModel.MEANS[1][j] + DemoModel.MEANS[2][j]) / 2;
    }
    assertThat(DemoModel.shortfall(tie, 1)).isLessThan(DemoModel.TIE_TOLERANCE);
    assertThat(DemoModel.shortfall(tie, 2)).isLessThan(DemoModel.TIE_TOLERANCE);
    assertThat(DemoModel.agrees(tie, 1)).isTrue();
    assertThat(DemoModel.agrees(tie, 2)).isTrue();
    assertThat(DemoModel.agrees(tie, 0)).isFalse();

    float[] setosa = DemoModel.MEANS[0].clone();
    assertThat(DemoModel.classify(setosa)).isZero();
    assertThat(DemoModel.shortfall(setosa, 0)).isZero();
    assertThat(DemoModel.agrees(setosa, 0)).isTrue();
    assertThat(DemoModel.agrees(setosa, 1)).isFalse();
    assertThat(DemoModel.agrees(setosa, 2)).isFalse();
    assertThat(DemoModel.agrees(setosa, 3)).isFalse();
    assertThat(DemoModel.agrees(setosa, -1)).isFalse();
  }
}
