package dev.kiln.protocol.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.protocol.parquet.ParquetRowWriter.Column;
import dev.kiln.protocol.parquet.ParquetRowWriter.ColumnType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The one rule by which output records (JSON objects) become Parquet rows, for the agent writing a
 * part and the scheduler merging parts. Every top-level field is a column, in the order first seen;
 * its type is decided by every value it holds: integers that fit 64 bits {@code LONG}, other
 * numbers {@code DOUBLE}, {@code true}/{@code false} {@code BOOLEAN}, text {@code STRING}; a column
 * holding integers and other numbers is {@code DOUBLE}, any other mix, an object or an array is
 * {@code STRING} (the value's JSON text); a column only ever null is {@code STRING}. A record that
 * is not a JSON object is the one column {@value #VALUE_COLUMN}. Each part's columns are decided
 * from all of its own rows; the merge decides the file's columns by the same rule over the parts'
 * columns (in part order) and writes again, under those columns, only a part whose columns differ.
 * Stateless.
 */
public final class JsonParquet {
  /** Rows per row group of an output part. */
  public static final int ROWS_PER_GROUP = 16_384;

  /** The column of a record that is not a JSON object. */
  public static final String VALUE_COLUMN = "value";

  /** How output parts are compressed. */
  public static final ParquetRowWriter.Codec CODEC = ParquetRowWriter.Codec.SNAPPY;

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonParquet() {}

  /** The columns of rows, decided as rows or other files' columns are added. Not thread-safe. */
  public static final class Columns {
    /** Each column's type so far; {@code null} while it has held only nulls. */
    private final Map<String, ColumnType> types = new LinkedHashMap<>();

    /** Widens the columns to hold {@code row}. */
    public void add(ObjectNode row) {
      row.fields().forEachRemaining(field -> widen(field.getKey(), typeOf(field.getValue())));
    }

    /** Widens the columns to hold the rows of a file of {@code columns}. */
    public void addAll(List<Column> columns) {
      columns.forEach(column -> widen(column.name(), column.type()));
    }

    private void widen(String name, ColumnType type) {
      if (!types.containsKey(name)) {
        types.put(name, type);
        return;
      }
      ColumnType known = types.get(name);
      if (known == null || type == null || known == type) {
        types.put(name, known == null ? type : known);
      } else if (isNumber(known) && isNumber(type)) {
        types.put(name, ColumnType.DOUBLE);
      } else {
        types.put(name, ColumnType.STRING);
      }
    }

    /** The columns decided, in the order first seen; empty when no row had a field. */
    public List<Column> columns() {
      List<Column> columns = new ArrayList<>(types.size());
      types.forEach(
          (name, type) -> columns.add(new Column(name, type == null ? ColumnType.STRING : type)));
      return columns;
    }
  }

  /** Opens JSON lines from their start; each call reads them again. */
  @FunctionalInterface
  public interface Lines {
    BufferedReader open() throws IOException;
  }

  /**
   * Writes the output records of {@code lines} (one a line) as one Parquet file into {@code out}
   * (closed), reading them twice: once to decide the columns, once to write the rows. Writes
   * nothing when there is no record, so an empty part stays empty.
   *
   * @return the rows written
   */
  public static long write(Lines lines, OutputStream out) throws IOException {
    Columns decided = new Columns();
    long rows = 0;
    try (BufferedReader reader = lines.open()) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        decided.add(row(line));
        rows++;
      }
    }
    if (rows == 0) {
      out.close();
      return 0;
    }
    List<Column> columns = decided.columns();
    if (columns.isEmpty()) {
      columns = List.of(new Column(VALUE_COLUMN, ColumnType.STRING));
    }
    try (BufferedReader reader = lines.open();
        ParquetRowWriter writer = new ParquetRowWriter(out, columns, ROWS_PER_GROUP, CODEC)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        writer.write(values(row(line), columns));
      }
    }
    return rows;
  }

  private static boolean isNumber(ColumnType type) {
    return type == ColumnType.LONG || type == ColumnType.DOUBLE;
  }

  /** The type a single value asks for; {@code null} for a JSON null. */
  static ColumnType typeOf(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isIntegralNumber()) {
      return value.canConvertToLong() ? ColumnType.LONG : ColumnType.DOUBLE;
    }
    if (value.isNumber()) {
      return ColumnType.DOUBLE;
    }
    if (value.isBoolean()) {
      return ColumnType.BOOLEAN;
    }
    return ColumnType.STRING;
  }

  /** An output record as a row: the record's object, or {@code {"value": record}}. */
  public static ObjectNode row(String record) {
    JsonNode node;
    try {
      node = JSON.readTree(record);
    } catch (JsonProcessingException e) {
      node = null;
    }
    if (node instanceof ObjectNode object) {
      return object;
    }
    ObjectNode wrapped = JSON.createObjectNode();
    if (node == null || node.isMissingNode()) {
      wrapped.put(VALUE_COLUMN, record);
    } else {
      wrapped.set(VALUE_COLUMN, node);
    }
    return wrapped;
  }

  /**
   * The values of {@code row} for {@code columns}, as {@link ParquetRowWriter#write} takes them.
   *
   * @throws IllegalArgumentException when a value does not fit its column's type
   */
  public static List<Object> values(ObjectNode row, List<Column> columns) {
    List<Object> values = new ArrayList<>(columns.size());
    for (Column column : columns) {
      values.add(value(row.get(column.name()), column));
    }
    return values;
  }

  private static Object value(JsonNode node, Column column) {
    if (node == null || node.isNull()) {
      return null;
    }
    switch (column.type()) {
      case STRING:
        return node.isTextual() ? node.textValue() : node.toString();
      case LONG:
        if (node.isIntegralNumber() && node.canConvertToLong()) {
          return node.longValue();
        }
        break;
      case DOUBLE:
        if (node.isNumber()) {
          return node.doubleValue();
        }
        if (node.isTextual() && isNonFinite(node.textValue())) {
          return Double.parseDouble(node.textValue());
        }
        break;
      case BOOLEAN:
        if (node.isBoolean()) {
          return node.booleanValue();
        }
        break;
    }
    throw new IllegalArgumentException(
        "the value " + node + " does not fit column '" + column.name() + "' of " + column.type());
  }

  private static boolean isNonFinite(String text) {
    return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
  }

  /**
   * The columns of a file Kiln wrote ({@link ParquetRowWriter}): flat optional columns of its four
   * types.
   *
   * @throws BadParquetException when the file has columns Kiln does not write
   */
  static List<Column> columnsOf(MessageType schema) throws BadParquetException {
    List<Column> columns = new ArrayList<>();
    for (Type field : schema.getFields()) {
      ColumnType type = null;
      if (field.isPrimitive() && field.isRepetition(Type.Repetition.OPTIONAL)) {
        type =
            switch (field.asPrimitiveType().getPrimitiveTypeName()) {
              case INT64 -> ColumnType.LONG;
              case DOUBLE -> ColumnType.DOUBLE;
              case BOOLEAN -> ColumnType.BOOLEAN;
              case BINARY ->
                  field.getLogicalTypeAnnotation()
                          instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                      ? ColumnType.STRING
                      : null;
              default -> null;
            };
      }
      if (type == null) {
        throw new BadParquetException(
            "has a column '" + field.getName() + "' (" + field + ") that Kiln's parts never hold");
      }
      columns.add(new Column(field.getName(), type));
    }
    return columns;
  }
}
