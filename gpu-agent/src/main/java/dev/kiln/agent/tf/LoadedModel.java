package dev.kiln.agent.tf;

import dev.kiln.agent.processor.ProcessorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * A SavedModel loaded into one TensorFlow session, with the serving signature Kiln feeds. Calls are
 * thread-safe (TensorFlow sessions are); closed by its cache once nobody uses it.
 */
public final class LoadedModel implements AutoCloseable {
  /** The file that marks a SavedModel directory. */
  public static final String SAVED_MODEL_FILE = "saved_model.pb";

  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Path directory;
  private int users;
  private boolean evicted;
  private boolean closed;

  private LoadedModel(
      SavedModelBundle bundle,
      SessionFunction function,
      List<TensorSpec> inputs,
      List<TensorSpec> outputs,
      Path directory) {
    this.bundle = bundle;
    this.function = function;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.directory = directory;
  }

  /**
   * Loads the SavedModel found in {@code root} (itself or a folder up to three levels down holding
   * {@code saved_model.pb}) and reads its signature {@code signatureKey}; when the model has one
   * signature only, that one is used whatever its key. The session runs on CPU threads as {@code
   * threads} says.
   *
   * @throws ProcessorException non-retryable when there is no SavedModel, {@link GraphPolicy}
   *     refuses it (checked before TensorFlow loads anything), it does not load, or its signature
   *     cannot be fed from text
   */
  public static LoadedModel load(Path root, String signatureKey, TfThreads threads)
      throws ProcessorException {
    Path directory = find(root);
    GraphPolicy.check(directory);
    SavedModelBundle bundle;
    try {
      bundle =
          SavedModelBundle.loader(directory.toString())
              .withTags(SavedModelBundle.DEFAULT_TAG)
              .withConfigProto(TfDevices.sessionConfig(threads))
              .load();
    } catch (TensorFlowException | IllegalArgumentException e) {
      throw ProcessorException.fatal(
          "the model does not load as a TensorFlow SavedModel with tag 'serve': " + e.getMessage());
    }
    try {
      SessionFunction function = signature(bundle, signatureKey);
      Signature signature = function.signature();
      List<TensorSpec> inputs = new ArrayList<>();
      for (Map.Entry<String, Signature.TensorDescription> in : signature.getInputs().entrySet()) {
        inputs.add(TensorSpec.of(in.getKey(), in.getValue(), true));
      }
      List<TensorSpec> outputs = new ArrayList<>();
      for (Map.Entry<String, Signature.TensorDescription> out : signature.getOutputs().entrySet()) {
        outputs.add(TensorSpec.of(out.getKey(), out.getValue(), false));
      }
      inputs.sort(java.util.Comparator.comparing(TensorSpec::key));
      outputs.sort(java.util.Comparator.comparing(TensorSpec::key));
      return new LoadedModel(bundle, function, inputs, outputs, directory);
    } catch (ProcessorException | RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  private static SessionFunction signature(SavedModelBundle bundle, String key)
      throws ProcessorException {
    List<SessionFunction> functions = bundle.functions();
    for (SessionFunction function : functions) {
      if (function.signature().key().equals(key)) {
        return function;
      }
    }
    if (functions.size() == 1) {
      return functions.get(0);
    }
    throw ProcessorException.fatal(
        "the model has no signature '"
            + key
            + "'; it has "
            + functions.stream().map(f -> f.signature().key()).toList()
            + " (choose one with the job parameter 'signature')");
  }

  private static Path find(Path root) throws ProcessorException {
    try (Stream<Path> walk = Files.walk(root, 4)) {
      return walk.filter(p -> p.getFileName().toString().equals(SAVED_MODEL_FILE))
          .filter(p -> !p.toString().contains("__MACOSX"))
          .map(Path::getParent)
          .sorted(java.util.Comparator.comparingInt(Path::getNameCount))
          .findFirst()
          .orElseThrow(
              () ->
                  ProcessorException.fatal(
                      "the model zip holds no "
                          + SAVED_MODEL_FILE
                          + "; zip the SavedModel directory (saved_model.pb and variables/)"));
    } catch (IOException e) {
      throw new ProcessorException("reading the unpacked model failed: " + e, true, e);
    }
  }

  /** The signature's inputs, sorted by name. */
  public List<TensorSpec> inputs() {
    return inputs;
  }

  /** The signature's outputs, sorted by name. */
  public List<TensorSpec> outputs() {
    return outputs;
  }

  public Path directory() {
    return directory;
  }

  /** Runs the signature; the caller closes the result. */
  public Result call(Map<String, Tensor> feed) {
    return function.call(feed);
  }

  public synchronized boolean acquire() {
    if (closed) {
      return false;
    }
    users++;
    return true;
  }

  synchronized void release() {
    users--;
    if (evicted && users == 0) {
      close();
    }
  }

  synchronized void evict() {
    evicted = true;
    if (users == 0) {
      close();
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      bundle.close();
    }
  }
}
