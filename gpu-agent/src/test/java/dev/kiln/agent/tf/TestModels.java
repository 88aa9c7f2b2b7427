package dev.kiln.agent.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * SavedModels built with TensorFlow Java's graph API, as a user could upload them: {@code y = 3x}
 * over a float32 input {@code x} of shape {@code [-1]}, some with file operations added.
 */
public final class TestModels {
  private TestModels() {}

  /** {@code y = 3x}, where 3 is a variable saved in {@code variables/} and restored on load. */
  public static Path withVariable(Path directory) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = input(tf);
      Operand<TFloat32> w = tf.withName("w").variable(tf.constant(3f));
      Operand<TFloat32> y = tf.withName("y").math.mul(x, w);
      return save(graph, directory, x, y, null, true);
    }
  }

  /** {@code y = 3x}, whose signature also returns the bytes of {@code path} (ReadFile). */
  public static Path readingFile(Path directory, String path) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = input(tf);
      Operand<TFloat32> y = tf.withName("y").math.mul(x, tf.constant(3f));
      Operand<TString> leak = tf.withName("leak").io.readFile(tf.constant(path));
      return save(graph, directory, x, y, leak, false);
    }
  }

  /** {@code y = 3x}, whose init op (run by TensorFlow's loader) writes {@code marker}. */
  public static Path writingOnLoad(Path directory, Path marker) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> x = input(tf);
      Operand<TFloat32> y = tf.withName("y").math.mul(x, tf.constant(3f));
      var write =
          tf.withName("write_marker")
              .io
              .writeFile(tf.constant(marker.toString()), tf.constant("written on load"));
      tf.withName("init").withControlDependencies(List.of(write)).identity(tf.constant(1f));
      save(graph, directory, x, y, null, false);
    }
    Path file = directory.resolve(LoadedModel.SAVED_MODEL_FILE);
    SavedModel.Builder model = SavedModel.parseFrom(Files.readAllBytes(file)).toBuilder();
    model
        .getMetaGraphsBuilder(0)
        .putCollectionDef(
            "saved_model_main_op",
            CollectionDef.newBuilder()
                .setNodeList(CollectionDef.NodeList.newBuilder().addValue("init"))
                .build());
    Files.write(file, model.build().toByteArray());
    return directory;
  }

  private static Placeholder<TFloat32> input(Ops tf) {
    return tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
  }

  private static Path save(
      Graph graph,
      Path directory,
      Operand<TFloat32> x,
      Operand<TFloat32> y,
      Operand<TString> extra,
      boolean initialize)
      throws IOException {
    Signature.Builder signature =
        Signature.builder().key(Signature.DEFAULT_KEY).input("x", x).output("y", y);
    if (extra != null) {
      signature.output("extra", extra);
    }
    try (Session session = new Session(graph)) {
      if (initialize) {
        session.initialize();
      }
      SessionFunction function = session.function(signature.build());
      function.save(directory.toString());
    }
    return directory;
  }
}
