package dev.kiln.protocol.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Builds each row as a JSON object: a top-level column left empty is {@code null}, a repeated field
 * an array, a group an object; strings as text, decimals as exact numbers, dates as {@code
 * yyyy-mm-dd}, timestamps as ISO instants, other bytes as base64, NaN and infinities as text. Not
 * thread-safe.
 */
final class JsonRowMaterializer extends RecordMaterializer<ObjectNode> {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long JULIAN_EPOCH_DAY = 2_440_588;

  private final GroupNode root;

  JsonRowMaterializer(MessageType schema) {
    this.root = new GroupNode(schema, null);
  }

  @Override
  public ObjectNode getCurrentRecord() {
    return root.current;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  /** Adds {@code value} to {@code parent} under {@code field}: an array entry when repeated. */
  private static void put(ObjectNode parent, Type field, JsonNode value) {
    if (field.isRepetition(Type.Repetition.REPEATED)) {
      JsonNode existing = parent.get(field.getName());
      ArrayNode array =
          existing instanceof ArrayNode list ? list : parent.putArray(field.getName());
      array.add(value);
    } else {
      parent.set(field.getName(), value);
    }
  }

  private static final class GroupNode extends GroupConverter {
    private final GroupType type;
    private final GroupNode parent;
    private final Converter[] children;
    private ObjectNode current;

    GroupNode(GroupType type, GroupNode parent) {
      this.type = type;
      this.parent = parent;
      this.children = new Converter[type.getFieldCount()];
      for (int i = 0; i < children.length; i++) {
        Type field = type.getType(i);
        children[i] =
            field.isPrimitive()
                ? new Leaf(field.asPrimitiveType(), this)
                : new GroupNode(field.asGroupType(), this);
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {
      current = NODES.objectNode();
    }

    @Override
    public void end() {
      if (parent == null) {
        for (Type field : type.getFields()) {
          if (!current.has(field.getName())) {
            current.set(
                field.getName(),
                field.isRepetition(Type.Repetition.REPEATED)
                    ? NODES.arrayNode()
                    : NODES.nullNode());
          }
        }
        return;
      }
      put(parent.current, type, current);
    }
  }

  private static final class Leaf extends PrimitiveConverter {
    private final PrimitiveType type;
    private final GroupNode parent;
    private final LogicalTypeAnnotation annotation;

    Leaf(PrimitiveType type, GroupNode parent) {
      this.type = type;
      this.parent = parent;
      this.annotation = type.getLogicalTypeAnnotation();
    }

    private void add(JsonNode value) {
      put(parent.current, type, value);
    }

    @Override
    public void addBinary(Binary value) {
      if (annotation instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
          || annotation instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
          || annotation instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
        add(NODES.textNode(value.toStringUsingUTF8()));
      } else if (annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
        add(NODES.numberNode(new BigDecimal(new BigInteger(value.getBytes()), decimal.getScale())));
      } else if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
        add(NODES.textNode(int96(value)));
      } else {
        add(NODES.textNode(Base64.getEncoder().encodeToString(value.getBytes())));
      }
    }

    @Override
    public void addBoolean(boolean value) {
      add(NODES.booleanNode(value));
    }

    @Override
    public void addDouble(double value) {
      add(
          Double.isFinite(value)
              ? NODES.numberNode(value)
              : NODES.textNode(Double.toString(value)));
    }

    @Override
    public void addFloat(float value) {
      add(Float.isFinite(value) ? NODES.numberNode(value) : NODES.textNode(Float.toString(value)));
    }

    @Override
    public void addInt(int value) {
      if (annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
        add(NODES.numberNode(BigDecimal.valueOf(value, decimal.getScale())));
      } else if (annotation instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
        add(NODES.textNode(LocalDate.ofEpochDay(value).toString()));
      } else if (annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation integer
          && !integer.isSigned()) {
        add(NODES.numberNode(Integer.toUnsignedLong(value)));
      } else {
        add(NODES.numberNode(value));
      }
    }

    @Override
    public void addLong(long value) {
      if (annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
        add(NODES.numberNode(BigDecimal.valueOf(value, decimal.getScale())));
      } else if (annotation instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation time) {
        add(NODES.textNode(instant(value, time.getUnit()).toString()));
      } else if (annotation instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation integer
          && !integer.isSigned()) {
        add(NODES.numberNode(new BigInteger(Long.toUnsignedString(value))));
      } else {
        add(NODES.numberNode(value));
      }
    }

    private static Instant instant(long value, LogicalTypeAnnotation.TimeUnit unit) {
      return switch (unit) {
        case MILLIS -> Instant.ofEpochMilli(value);
        case MICROS ->
            Instant.ofEpochSecond(
                Math.floorDiv(value, 1_000_000), Math.floorMod(value, 1_000_000) * 1_000L);
        case NANOS ->
            Instant.ofEpochSecond(
                Math.floorDiv(value, 1_000_000_000), Math.floorMod(value, 1_000_000_000));
      };
    }

    /** A legacy INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
    private static String int96(Binary value) {
      ByteBuffer bytes = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (bytes.remaining() != 12) {
        return Base64.getEncoder().encodeToString(value.getBytes());
      }
      long nanosOfDay = bytes.getLong();
      long julianDay = bytes.getInt();
      long seconds = (julianDay - JULIAN_EPOCH_DAY) * 86_400L;
      return Instant.ofEpochSecond(seconds, nanosOfDay).toString();
    }
  }
}
