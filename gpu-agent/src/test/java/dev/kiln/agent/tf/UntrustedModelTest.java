package dev.kiln.agent.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.agent.demo.DemoModel;
import dev.kiln.agent.processor.ProcessorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.types.TFloat32;

/** Models are untrusted code: real SavedModels with file operations never reach TensorFlow. */
class UntrustedModelTest {
  private static final TfThreads THREADS = new TfThreads(1, 1);

  @TempDir Path dir;

  @Test
  void theDemoModelUsesOnlyAllowedOperations() throws Exception {
    Path model = DemoModel.build(dir.resolve("demo"));
    Set<String> types = new TreeSet<>();
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      bundle.graph().operations().forEachRemaining(op -> types.add(op.type()));
    }
    assertThat(types).contains("MatMul", "Relu", "Softmax", "ArgMax");
    assertThat(AllowedOps.COMPUTE).containsAll(types);
    try (LoadedModel loaded = LoadedModel.load(model, "serving_default", THREADS)) {
      assertThat(loaded.inputs()).hasSize(4);
    }
  }

  @Test
  void aModelWithVariablesRestoredByTheLoaderRunsAndComputes() throws Exception {
    Path model = TestModels.withVariable(dir.resolve("variable"));
    Set<String> types = new TreeSet<>();
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      bundle.graph().operations().forEachRemaining(op -> types.add(op.type()));
    }
    assertThat(types).contains("VariableV2", "RestoreV2", "SaveV2");

    try (LoadedModel loaded = LoadedModel.load(model, "serving_default", THREADS);
        TFloat32 x = TFloat32.vectorOf(1f, 2f);
        Result result = loaded.call(Map.of("x", x))) {
      TFloat32 y = (TFloat32) result.get("y").orElseThrow();
      assertThat(y.getFloat(0)).isEqualTo(3f);
      assertThat(y.getFloat(1)).isEqualTo(6f);
    }
  }

  @Test
  void aModelThatReadsAFileIsRefusedNamingTheOperation() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "AKIA-SECRET");
    Path model = TestModels.readingFile(dir.resolve("reader"), secret.toString());

    assertThatThrownBy(() -> LoadedModel.load(model, "serving_default", THREADS))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("outside Kiln's allowlist: ReadFile")
        .satisfies(e -> assertThat(((ProcessorException) e).retryable()).isFalse());
  }

  @Test
  void aModelThatWritesAFileWhenLoadedIsRefusedBeforeTensorFlowLoadsIt() throws Exception {
    Path marker = dir.resolve("marker.txt");
    Path model = TestModels.writingOnLoad(dir.resolve("writer"), marker);

    assertThatThrownBy(() -> LoadedModel.load(model, "serving_default", THREADS))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("WriteFile");
    assertThat(marker).doesNotExist();

    // What the check prevents: TensorFlow's loader runs the init op, which writes the file.
    try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve")) {
      assertThat(bundle.graph().operation("write_marker")).isInstanceOf(GraphOperation.class);
    } catch (RuntimeException loaderRefusedAfterRunningIt) {
      // the file is written before the Java side looks at the init op
    }
    assertThat(marker).hasContent("written on load");
  }

  @Test
  void aModelWithAChunkedGraphBesideItsCheckedOneIsRefused() throws Exception {
    Path model = DemoModel.build(dir.resolve("chunked"));
    Files.write(model.resolve("saved_model.cpb"), new byte[] {1, 2, 3});

    assertThatThrownBy(() -> LoadedModel.load(model, "serving_default", THREADS))
        .isInstanceOf(ProcessorException.class)
        .hasMessageContaining("saved_model.cpb");
  }
}
