package dev.kiln.agent.tf;

import dev.kiln.agent.processor.ModelRef;
import dev.kiln.agent.processor.OutputSink;
import dev.kiln.agent.processor.Processor;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.agent.processor.ShardContext;
import dev.kiln.agent.processor.ShardRun;
import dev.kiln.model.fleet.Accelerator;
import dev.kiln.model.fleet.ProcessorNeeds;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Signature;

/**
 * {@code tf-savedmodel}: batch inference with a TensorFlow SavedModel uploaded as a zip. The model
 * is downloaded and unpacked once per content hash, checked by {@link GraphPolicy} (a model is
 * untrusted code: it may only compute), loaded once per agent (the two most recently used models
 * stay loaded), and fed one tensor per input per batch. Job parameters: {@code batchSize}, {@code
 * signature} (default {@code serving_default}), {@code idColumn} (default {@code id}), {@code
 * outputs} (comma-separated, default all). TensorFlow's CPU threads come from {@link TfThreads}.
 * Thread-safe.
 */
public final class TfSavedModelProcessor implements Processor {
  public static final String NAME = "tf-savedmodel";

  private static final Logger LOG = LoggerFactory.getLogger(TfSavedModelProcessor.class);
  private static final int MAX_LOADED_MODELS = 2;

  private final Map<String, LoadedModel> loaded = new LinkedHashMap<>(4, 0.75f, true);
  private final TfThreads threads;
  private volatile String device;

  /** The processor {@code ServiceLoader} finds: threads from the agent's environment. */
  public TfSavedModelProcessor() {
    this(TfThreads.fromEnvironment(System.getenv()));
  }

  public TfSavedModelProcessor(TfThreads threads) {
    this.threads = threads;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Inference wants a GPU and room for two loaded models. */
  @Override
  public ProcessorNeeds needs() {
    return new ProcessorNeeds(Accelerator.GPU, 8_192);
  }

  /** The device TensorFlow computes on: {@code GPU:0 (14.6 GiB)} or {@code CPU}. */
  @Override
  public String describe() {
    String known = device;
    if (known == null) {
      synchronized (this) {
        if (device == null) {
          try {
            device = TfDevices.describe(TfDevices.list(threads));
          } catch (RuntimeException | LinkageError e) {
            LOG.warn("Could not list TensorFlow's devices", e);
            device = "unknown";
          }
          LOG.info(
              "TensorFlow {} computes on {} ({})",
              org.tensorflow.TensorFlow.version(),
              device,
              threads.describe());
        }
        known = device;
      }
    }
    return known;
  }

  @Override
  public ShardRun open(ShardContext context) throws ProcessorException {
    Map<String, String> params = context.params();
    Path directory = context.models().directory(ModelRef.of(context.task()));
    String signature = params.getOrDefault("signature", Signature.DEFAULT_KEY);
    LoadedModel model = acquire(directory, signature);
    try {
      Set<String> outputs =
          Arrays.stream(params.getOrDefault("outputs", "").split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
      BatchInference inference =
          new BatchInference(
              model,
              context.format(),
              context.columns(),
              params.getOrDefault("idColumn", "id"),
              outputs,
              context.batchSize());
      return new Run(model, inference, context.firstOfInput() && isCsv(context));
    } catch (ProcessorException | RuntimeException e) {
      model.release();
      throw e;
    }
  }

  private static boolean isCsv(ShardContext context) {
    return context.format() == dev.kiln.model.InputFormat.CSV;
  }

  private LoadedModel acquire(Path directory, String signature) throws ProcessorException {
    String key = directory.toAbsolutePath() + "#" + signature;
    synchronized (loaded) {
      LoadedModel model = loaded.get(key);
      if (model != null && model.acquire()) {
        return model;
      }
      describe();
      long started = System.nanoTime();
      model = LoadedModel.load(directory, signature, threads);
      LOG.info(
          "Loaded the model in {} in {} ms on {}: inputs {}, outputs {}",
          directory,
          (System.nanoTime() - started) / 1_000_000,
          device,
          model.inputs().stream().map(TensorSpec::describe).toList(),
          model.outputs().stream().map(TensorSpec::describe).toList());
      loaded.put(key, model);
      model.acquire();
      while (loaded.size() > MAX_LOADED_MODELS) {
        String eldest = loaded.keySet().iterator().next();
        loaded.remove(eldest).evict();
      }
      return model;
    }
  }

  /** Models loaded now. */
  int loadedModels() {
    synchronized (loaded) {
      return loaded.size();
    }
  }

  @Override
  public void close() {
    synchronized (loaded) {
      loaded.values().forEach(LoadedModel::evict);
      loaded.clear();
    }
  }

  private static final class Run implements ShardRun {
    private final LoadedModel model;
    private final BatchInference inference;
    private final boolean writeHeader;

    Run(LoadedModel model, BatchInference inference, boolean writeHeader) {
      this.model = model;
      this.inference = inference;
      this.writeHeader = writeHeader;
    }

    @Override
    public void begin(OutputSink out) throws IOException {
      if (writeHeader) {
        out.write(inference.csvHeader());
      }
    }

    @Override
    public void process(java.util.List<LineRecord> batch, OutputSink out)
        throws ProcessorException, IOException {
      inference.process(batch, out);
    }

    @Override
    public void close() {
      model.release();
    }
  }
}
