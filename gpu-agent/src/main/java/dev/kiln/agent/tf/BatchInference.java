package dev.kiln.agent.tf;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.agent.processor.Csv;
import dev.kiln.agent.processor.OutputSink;
import dev.kiln.agent.processor.ProcessorException;
import dev.kiln.model.InputFormat;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.Tensor;

/**
 * Batch inference over text records: maps each record's fields to the model's inputs (CSV columns
 * by header name, JSON keys and a Parquet row's numeric columns by name), runs one batch as one
 * call, and writes each row's id and predictions as a CSV row for CSV input, else as a JSON line. A
 * record that does not fit is an error record; a signature that does not fit the input at all fails
 * the shard. Used by one thread at a time.
 */
public final class BatchInference {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoadedModel model;
  private final InputFormat format;
  private final List<String> columns;
  private final String idColumn;
  private final int idIndex;
  private final List<FeatureColumn> features = new ArrayList<>();
  private final int[] columnIndex;
  private final List<TensorSpec> outputs;
  private final String[] jsonKeys;
  private final String[] ids;
  private boolean firstBatch = true;

  /**
   * @param columns the CSV header's columns, or a Parquet file's numeric columns (the model's
   *     inputs must be among them); ignored for JSON lines
   * @param idColumn the column or key copied to each output row
   * @param outputNames the outputs to write (empty: all)
   * @throws ProcessorException non-retryable when the input cannot feed the model (a CSV header
   *     without one of the model's inputs, an unknown output, a format other than CSV or JSON
   *     lines)
   */
  public BatchInference(
      LoadedModel model,
      InputFormat format,
      List<String> columns,
      String idColumn,
      Set<String> outputNames,
      int batchSize)
      throws ProcessorException {
    if (format == InputFormat.TEXT || format.isArchive()) {
      throw ProcessorException.fatal(
          "tf-savedmodel reads CSV with a header or JSON lines, not "
              + (format.isArchive() ? "the files of an archive" : "plain text"));
    }
    this.model = model;
    this.format = format;
    this.columns = List.copyOf(columns);
    this.idColumn = idColumn;
    this.idIndex = columns.indexOf(idColumn);
    this.columnIndex = new int[model.inputs().size()];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < model.inputs().size(); i++) {
      TensorSpec spec = model.inputs().get(i);
      features.add(new FeatureColumn(spec, batchSize));
      columnIndex[i] = columns.indexOf(spec.key());
      if ((format == InputFormat.CSV || format == InputFormat.PARQUET) && columnIndex[i] < 0) {
        missing.add(spec.describe());
      }
    }
    if (!missing.isEmpty()) {
      throw ProcessorException.fatal(
          "the input has no column for the model's input "
              + String.join(", ", missing)
              + (format == InputFormat.PARQUET
                  ? "; the Parquet file's numeric columns are "
                  : "; the CSV header has ")
              + columns);
    }
    List<TensorSpec> selected = new ArrayList<>();
    for (TensorSpec out : model.outputs()) {
      if (outputNames.isEmpty() || outputNames.contains(out.key())) {
        selected.add(out);
      }
    }
    for (String name : outputNames) {
      if (model.outputs().stream().noneMatch(o -> o.key().equals(name))) {
        throw ProcessorException.fatal(
            "the model has no output '"
                + name
                + "'; it has "
                + model.outputs().stream().map(TensorSpec::key).toList());
      }
    }
    this.outputs = List.copyOf(selected);
    this.jsonKeys = new String[outputs.size()];
    for (int i = 0; i < outputs.size(); i++) {
      jsonKeys[i] = quoteJson(outputs.get(i).key());
    }
    this.ids = new String[batchSize];
  }

  /** The header of CSV output: the id column, then each output (vectors as name_0, name_1...). */
  public String csvHeader() {
    List<String> names = new ArrayList<>();
    names.add(idIndex >= 0 ? idColumn : "_offset");
    for (TensorSpec out : outputs) {
      if (out.vector() && out.width() > 0) {
        for (int i = 0; i < out.width(); i++) {
          names.add(out.key() + "_" + i);
        }
      } else {
        names.add(out.key());
      }
    }
    return Csv.join(names);
  }

  /** Processes one batch (at most the batch size this was built for). */
  public void process(List<LineRecord> batch, OutputSink out)
      throws ProcessorException, IOException {
    int rows = 0;
    Map<String, Integer> failuresByColumn = new HashMap<>();
    String firstFailure = null;
    for (LineRecord record : batch) {
      String failure = fill(rows, record);
      if (failure == null) {
        rows++;
        continue;
      }
      out.error(record.offset(), failure);
      if (firstFailure == null) {
        firstFailure = failure;
      }
      int quote = failure.indexOf('\'');
      if (failure.startsWith("column") && quote >= 0) {
        String column = failure.substring(quote + 1, failure.indexOf('\'', quote + 1));
        failuresByColumn.merge(column, 1, Integer::sum);
      }
    }
    if (firstBatch && rows == 0 && failuresByColumn.size() == 1) {
      String column = failuresByColumn.keySet().iterator().next();
      if (failuresByColumn.get(column) == batch.size()) {
        throw ProcessorException.fatal(
            "no record of the first batch fits the model's input "
                + describeInput(column)
                + ": "
                + firstFailure);
      }
    }
    firstBatch = false;
    if (rows == 0) {
      return;
    }
    run(rows, out);
  }

  private String describeInput(String key) {
    return model.inputs().stream()
        .filter(s -> s.key().equals(key))
        .findFirst()
        .map(TensorSpec::describe)
        .orElse("'" + key + "'");
  }

  /** Parses one record into row {@code row}; returns an error message, or null when it fits. */
  private String fill(int row, LineRecord record) {
    if (format == InputFormat.CSV) {
      List<String> fields;
      try {
        fields = Csv.split(record.text());
      } catch (IllegalArgumentException e) {
        return "not a CSV row: " + e.getMessage();
      }
      if (fields.size() != columns.size()) {
        return "expected " + columns.size() + " columns, found " + fields.size();
      }
      for (int i = 0; i < features.size(); i++) {
        try {
          features.get(i).setText(row, fields.get(columnIndex[i]));
        } catch (FeatureColumn.BadValueException e) {
          return "column '" + features.get(i).spec().key() + "' " + e.getMessage();
        }
      }
      ids[row] = idIndex >= 0 ? Csv.quote(fields.get(idIndex)) : Long.toString(record.offset());
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(record.text());
    } catch (IOException e) {
      return "not JSON: " + e.getMessage().lines().findFirst().orElse("");
    }
    if (node == null || !node.isObject()) {
      return "a JSON line must be an object";
    }
    for (FeatureColumn feature : features) {
      JsonNode value = node.get(feature.spec().key());
      if (value == null || value.isNull()) {
        return "column '" + feature.spec().key() + "' is missing";
      }
      try {
        feature.setJson(row, value);
      } catch (FeatureColumn.BadValueException e) {
        return "column '" + feature.spec().key() + "' " + e.getMessage();
      }
    }
    JsonNode id = node.get(idColumn);
    ids[row] = id != null ? id.toString() : Long.toString(record.offset());
    return null;
  }

  private void run(int rows, OutputSink out) throws IOException {
    Map<String, Tensor> feed = new LinkedHashMap<>();
    try {
      for (FeatureColumn feature : features) {
        feed.put(feature.spec().key(), feature.tensor(rows));
      }
      try (Result result = model.call(feed)) {
        List<OutputColumn> values = new ArrayList<>(outputs.size());
        for (TensorSpec spec : outputs) {
          Tensor tensor =
              result
                  .get(spec.key())
                  .orElseThrow(
                      () -> new IllegalStateException("the model returned no " + spec.key()));
          values.add(OutputColumn.read(spec, tensor, rows));
        }
        write(rows, values, out);
      }
    } finally {
      feed.values().forEach(Tensor::close);
    }
  }

  private void write(int rows, List<OutputColumn> values, OutputSink out) throws IOException {
    StringBuilder line = new StringBuilder(128);
    boolean csv = format == InputFormat.CSV;
    String idKey = quoteJson(idColumn);
    for (int row = 0; row < rows; row++) {
      line.setLength(0);
      if (csv) {
        line.append(ids[row]);
        for (OutputColumn column : values) {
          line.append(',');
          column.appendCsv(row, line);
        }
      } else {
        line.append('{').append(idKey).append(':').append(ids[row]);
        for (int i = 0; i < values.size(); i++) {
          line.append(',').append(jsonKeys[i]).append(':');
          values.get(i).appendJson(row, line);
        }
        line.append('}');
      }
      out.write(line.toString());
    }
  }

  static String quoteJson(String text) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
  }
}
