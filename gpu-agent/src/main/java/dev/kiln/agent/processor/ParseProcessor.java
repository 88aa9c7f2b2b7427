package dev.kiln.agent.processor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.InputFormat;
import dev.kiln.model.fleet.Accelerator;
import dev.kiln.model.fleet.ProcessorNeeds;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.util.List;

/**
 * {@code parse}: reads each record (a CSV row with the header's column names, a JSON object, a line
 * of text, the name of a file of an archive, or a row of a Parquet file with its typed values) and
 * writes it as one JSON object plus derived fields: {@code _fields} (how many fields it has) and
 * {@code _offset} (its byte offset in the input; for a Parquet row, its row in the file from 0).
 * Every field of the input, including its {@code id}, is kept. A row that does not parse is an
 * error record, not a failure. Thread-safe.
 */
public final class ParseProcessor implements Processor {
  public static final String NAME = "parse";

  /** Parsing needs cores and little memory: a cheap CPU machine. */
  public static final ProcessorNeeds NEEDS = new ProcessorNeeds(Accelerator.CPU, 1_024);

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProcessorNeeds needs() {
    return NEEDS;
  }

  @Override
  public ShardRun open(ShardContext context) throws ProcessorException {
    if (context.format() == InputFormat.CSV && context.columns().isEmpty()) {
      throw ProcessorException.fatal("the CSV input has no header line");
    }
    return new Run(context);
  }

  private final class Run implements ShardRun {
    private final ShardContext context;

    Run(ShardContext context) {
      this.context = context;
    }

    @Override
    public void process(List<LineRecord> batch, OutputSink out) throws IOException {
      for (LineRecord record : batch) {
        ObjectNode parsed;
        try {
          parsed = parse(record.text());
        } catch (IllegalArgumentException e) {
          out.error(record.offset(), e.getMessage());
          continue;
        }
        parsed.put("_fields", parsed.size());
        parsed.put("_offset", record.offset());
        out.write(mapper.writeValueAsString(parsed));
      }
    }

    private ObjectNode parse(String text) {
      return switch (context.format()) {
        case CSV -> parseCsv(text);
        case JSONL, PARQUET -> parseJson(text);
        case TEXT -> mapper.createObjectNode().put("text", text);
        case ZIP, TAR -> mapper.createObjectNode().put("name", text);
      };
    }

    private ObjectNode parseCsv(String text) {
      List<String> fields = Csv.split(text);
      List<String> columns = context.columns();
      if (fields.size() != columns.size()) {
        throw new IllegalArgumentException(
            "expected " + columns.size() + " columns, found " + fields.size());
      }
      ObjectNode node = mapper.createObjectNode();
      for (int i = 0; i < fields.size(); i++) {
        node.put(columns.get(i), fields.get(i));
      }
      return node;
    }

    private ObjectNode parseJson(String text) {
      JsonNode node;
      try {
        node = mapper.readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("a JSON line must be an object");
      }
      return (ObjectNode) node;
    }
  }
}
