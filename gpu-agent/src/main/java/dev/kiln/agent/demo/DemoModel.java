package dev.kiln.agent.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The demo classifier: an iris-flower MLP with fixed weights, exported as a TensorFlow SavedModel.
 *
 * <p>It has four inputs, one per feature ({@link #FEATURES}, float32 of shape {@code [-1]}, so a
 * CSV input is mapped by header name and a JSON line by key), a hidden ReLU layer of 8 units and a
 * softmax over the three species. Its weights are chosen, not trained: the hidden layer holds the
 * positive and negative parts of the standardised features and the output layer scores each species
 * by its distance to the species' mean in the public-domain iris table (Fisher, 1936), so the model
 * is a nearest-centroid classifier written as an MLP and is right for about 95% of real iris
 * flowers. Outputs: {@code probabilities} (float32 {@code [-1, 3]}) and {@code class_id} (int64
 * {@code [-1]}; 0 setosa, 1 versicolor, 2 virginica). Stateless.
 */
public final class DemoModel {
  /** The input names, in the order of the demo data's columns. */
  public static final List<String> FEATURES =
      List.of("sepal_length", "sepal_width", "petal_length", "petal_width");

  /** The species, by class id. */
  public static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");

  /** Mean of each feature per species in the iris table. */
  static final float[][] MEANS = {
    {5.006f, 3.428f, 1.462f, 0.246f},
    {5.936f, 2.770f, 4.260f, 1.326f},
    {6.588f, 2.974f, 5.552f, 2.026f}
  };

  /** Standard deviation of each feature per species in the iris table. */
  static final float[][] STDDEVS = {
    {0.352f, 0.379f, 0.174f, 0.105f},
    {0.516f, 0.314f, 0.470f, 0.198f},
    {0.636f, 0.322f, 0.552f, 0.275f}
  };

  /** Mean and standard deviation of each feature over the whole table. */
  static final float[] MEAN = {5.843f, 3.057f, 3.758f, 1.199f};

  static final float[] STDDEV = {0.828f, 0.436f, 1.765f, 0.762f};

  private DemoModel() {}

  /** Builds the SavedModel into {@code directory} (replacing it) and returns the directory. */
  public static Path build(Path directory) throws IOException {
    deleteTree(directory);
    Files.createDirectories(directory.getParent() == null ? Path.of(".") : directory.getParent());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<Placeholder<TFloat32>> inputs =
          FEATURES.stream()
              .map(
                  name ->
                      tf.withName(name)
                          .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1))))
              .toList();
      Operand<TFloat32> features = tf.stack(List.<Operand<TFloat32>>copyOf(inputs), Stack.axis(1L));
      Operand<TFloat32> standardised =
          tf.math.div(tf.math.sub(features, tf.constant(MEAN)), tf.constant(STDDEV));
      Operand<TFloat32> hidden =
          tf.nn.relu(
              tf.math.add(
                  tf.linalg.matMul(standardised, tf.constant(hiddenWeights())),
                  tf.constant(new float[8])));
      Operand<TFloat32> logits =
          tf.math.add(
              tf.linalg.matMul(hidden, tf.constant(outputWeights())), tf.constant(outputBias()));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      Operand<TInt64> classId =
          tf.withName("class_id").math.argMax(probabilities, tf.constant(1), TInt64.class);
      Signature.Builder signature = Signature.builder().key(Signature.DEFAULT_KEY);
      for (int i = 0; i < FEATURES.size(); i++) {
        signature.input(FEATURES.get(i), inputs.get(i));
      }
      signature.output("probabilities", probabilities).output("class_id", classId);
      try (Session session = new Session(graph)) {
        SessionFunction function = session.function(signature.build());
        function.save(directory.toString());
      }
    }
    return directory;
  }

  /** Builds the SavedModel and zips it (the form users upload) into {@code zipFile}. */
  public static Path buildZip(Path workDir, Path zipFile) throws IOException {
    Path model = build(workDir.resolve("demo-model"));
    zip(model, zipFile);
    return zipFile;
  }

  /** Zips a directory's files with paths relative to it. */
  public static void zip(Path directory, Path zipFile) throws IOException {
    Files.createDirectories(zipFile.toAbsolutePath().getParent());
    try (OutputStream file = Files.newOutputStream(zipFile);
        ZipOutputStream zip = new ZipOutputStream(file);
        Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.filter(Files::isRegularFile).sorted().toList()) {
        zip.putNextEntry(new ZipEntry(directory.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, zip);
        zip.closeEntry();
      }
    }
  }

  /**
   * [4 x 8]: unit j < 4 is feature j, unit j >= 4 is minus feature j - 4 (ReLU keeps each part).
   */
  static float[][] hiddenWeights() {
    float[][] w = new float[4][8];
    for (int j = 0; j < 4; j++) {
      w[j][j] = 1f;
      w[j][j + 4] = -1f;
    }
    return w;
  }

  /**
   * [8 x 3]: species k scores {@code 2 c_k . z - |c_k|^2} for standardised features z and the
   * species' standardised mean c_k (the nearest-centroid rule), read from the two ReLU halves.
   */
  static float[][] outputWeights() {
    float[][] w = new float[8][3];
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < 4; j++) {
        float c = (MEANS[k][j] - MEAN[j]) / STDDEV[j];
        w[j][k] = 2 * c;
        w[j + 4][k] = -2 * c;
      }
    }
    return w;
  }

  static float[] outputBias() {
    float[] b = new float[3];
    for (int k = 0; k < 3; k++) {
      for (int j = 0; j < 4; j++) {
        float c = (MEANS[k][j] - MEAN[j]) / STDDEV[j];
        b[k] -= c * c;
      }
    }
    return b;
  }

  /**
   * How far below the best class's score a prediction may fall and still agree with the model: the
   * graph computes in float32, so where two species are within rounding of a tie TensorFlow may
   * pick either. Scores run to a few tens, where float32 rounds at about 1e-5 per operation.
   */
  public static final double TIE_TOLERANCE = 1e-3;

  /** The class the model picks, computed in plain Java (to check TensorFlow's answers). */
  public static int classify(float[] x) {
    double[] scores = scores(x);
    int best = 0;
    for (int k = 1; k < scores.length; k++) {
      if (scores[k] > scores[best]) {
        best = k;
      }
    }
    return best;
  }

  /** How far class {@code k}'s score falls below the best class's score for {@code x}. */
  public static double shortfall(float[] x, int k) {
    double[] scores = scores(x);
    return scores[classify(x)] - scores[k];
  }

  /** Whether {@code predicted} is the class for {@code x}, or within float rounding of a tie. */
  public static boolean agrees(float[] x, int predicted) {
    return predicted >= 0 && predicted < SPECIES.size() && shortfall(x, predicted) <= TIE_TOLERANCE;
  }

  /** Minus the squared distance from each species' standardised mean, in double precision. */
  private static double[] scores(float[] x) {
    double[] scores = new double[SPECIES.size()];
    for (int k = 0; k < scores.length; k++) {
      for (int j = 0; j < 4; j++) {
        double z = (x[j] - MEAN[j]) / STDDEV[j];
        double c = (MEANS[k][j] - MEAN[j]) / STDDEV[j];
        scores[k] -= (z - c) * (z - c);
      }
    }
    return scores;
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Builds the zipped demo model: {@code DemoModel <zipFile> [workDir]}. */
  public static void main(String[] args) throws IOException {
    Path zip = Path.of(args.length > 0 ? args[0] : "target/demo-model.zip");
    Path work = Path.of(args.length > 1 ? args[1] : "target");
    long started = System.nanoTime();
    buildZip(work, zip);
    System.out.printf(
        "demo model written to %s in %d ms%n", zip, (System.nanoTime() - started) / 1_000_000);
  }
}
