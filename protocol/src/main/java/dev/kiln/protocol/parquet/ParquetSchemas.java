package dev.kiln.protocol.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.ConvertedType;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.LogicalType;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.StringType;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Converts between a footer's schema (Thrift {@code SchemaElement}s, depth first) and Parquet's
 * {@link MessageType}, keeping the annotations that change how a value reads (strings, decimals,
 * dates, timestamps, integer widths). Stateless.
 */
final class ParquetSchemas {
  private ParquetSchemas() {}

  static MessageType fromFooter(List<SchemaElement> elements) throws BadParquetException {
    if (elements == null || elements.isEmpty()) {
      throw new BadParquetException(
          "has a footer without a schema: the file is damaged; write it again and upload it");
    }
    try {
      int[] next = {1};
      SchemaElement root = elements.get(0);
      List<Type> fields = children(elements, next, root.getNum_children());
      if (next[0] != elements.size() || fields.isEmpty()) {
        throw new IllegalArgumentException("the schema's element count does not add up");
      }
      return new MessageType(root.getName(), fields);
    } catch (RuntimeException e) {
      throw new BadParquetException(
          "has a schema that does not read ("
              + e.getMessage()
              + "): the file is damaged; write it again and upload it",
          e);
    }
  }

  private static List<Type> children(List<SchemaElement> elements, int[] next, int count) {
    List<Type> fields = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      fields.add(type(elements, next));
    }
    return fields;
  }

  private static Type type(List<SchemaElement> elements, int[] next) {
    SchemaElement element = elements.get(next[0]++);
    Type.Repetition repetition =
        element.isSetRepetition_type()
            ? Type.Repetition.valueOf(element.getRepetition_type().name())
            : Type.Repetition.OPTIONAL;
    if (!element.isSetType()) {
      return new GroupType(
          repetition, element.getName(), children(elements, next, element.getNum_children()));
    }
    PrimitiveTypeName primitive =
        switch (element.getType()) {
          case BOOLEAN -> PrimitiveTypeName.BOOLEAN;
          case INT32 -> PrimitiveTypeName.INT32;
          case INT64 -> PrimitiveTypeName.INT64;
          case INT96 -> PrimitiveTypeName.INT96;
          case FLOAT -> PrimitiveTypeName.FLOAT;
          case DOUBLE -> PrimitiveTypeName.DOUBLE;
          case BYTE_ARRAY -> PrimitiveTypeName.BINARY;
          case FIXED_LEN_BYTE_ARRAY -> PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
        };
    PrimitiveType type =
        new PrimitiveType(
            repetition,
            primitive,
            element.isSetType_length() ? element.getType_length() : 0,
            element.getName());
    LogicalTypeAnnotation annotation = annotation(element);
    if (annotation == null) {
      return type;
    }
    try {
      return type.withLogicalTypeAnnotation(annotation);
    } catch (RuntimeException mismatched) {
      return type;
    }
  }

  private static LogicalTypeAnnotation annotation(SchemaElement element) {
    if (element.isSetLogicalType()) {
      LogicalType logical = element.getLogicalType();
      if (logical.isSetSTRING()) {
        return LogicalTypeAnnotation.stringType();
      } else if (logical.isSetENUM()) {
        return LogicalTypeAnnotation.enumType();
      } else if (logical.isSetJSON()) {
        return LogicalTypeAnnotation.jsonType();
      } else if (logical.isSetDECIMAL()) {
        return LogicalTypeAnnotation.decimalType(
            logical.getDECIMAL().getScale(), logical.getDECIMAL().getPrecision());
      } else if (logical.isSetDATE()) {
        return LogicalTypeAnnotation.dateType();
      } else if (logical.isSetINTEGER()) {
        return LogicalTypeAnnotation.intType(
            logical.getINTEGER().getBitWidth(), logical.getINTEGER().isIsSigned());
      } else if (logical.isSetTIMESTAMP()) {
        org.apache.parquet.format.TimeUnit unit = logical.getTIMESTAMP().getUnit();
        return LogicalTypeAnnotation.timestampType(
            logical.getTIMESTAMP().isIsAdjustedToUTC(),
            unit.isSetMILLIS()
                ? TimeUnit.MILLIS
                : unit.isSetMICROS() ? TimeUnit.MICROS : TimeUnit.NANOS);
      }
      return null;
    }
    if (!element.isSetConverted_type()) {
      return null;
    }
    return switch (element.getConverted_type()) {
      case UTF8 -> LogicalTypeAnnotation.stringType();
      case ENUM -> LogicalTypeAnnotation.enumType();
      case JSON -> LogicalTypeAnnotation.jsonType();
      case DECIMAL -> LogicalTypeAnnotation.decimalType(element.getScale(), element.getPrecision());
      case DATE -> LogicalTypeAnnotation.dateType();
      case TIMESTAMP_MILLIS -> LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS);
      case TIMESTAMP_MICROS -> LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS);
      case INT_8 -> LogicalTypeAnnotation.intType(8, true);
      case INT_16 -> LogicalTypeAnnotation.intType(16, true);
      case INT_32 -> LogicalTypeAnnotation.intType(32, true);
      case INT_64 -> LogicalTypeAnnotation.intType(64, true);
      case UINT_8 -> LogicalTypeAnnotation.intType(8, false);
      case UINT_16 -> LogicalTypeAnnotation.intType(16, false);
      case UINT_32 -> LogicalTypeAnnotation.intType(32, false);
      case UINT_64 -> LogicalTypeAnnotation.intType(64, false);
      default -> null;
    };
  }

  /**
   * The footer's schema for {@code schema} (depth first, the message first), as the writer records
   * it; strings are marked as such, the only annotation the writer uses.
   */
  static List<SchemaElement> toFooter(MessageType schema) {
    List<SchemaElement> elements = new ArrayList<>();
    SchemaElement root = new SchemaElement(schema.getName());
    root.setNum_children(schema.getFieldCount());
    elements.add(root);
    addFields(schema, elements);
    return elements;
  }

  private static void addFields(GroupType group, List<SchemaElement> elements) {
    for (Type field : group.getFields()) {
      SchemaElement element = new SchemaElement(field.getName());
      element.setRepetition_type(FieldRepetitionType.valueOf(field.getRepetition().name()));
      if (!field.isPrimitive()) {
        element.setNum_children(field.asGroupType().getFieldCount());
        elements.add(element);
        addFields(field.asGroupType(), elements);
        continue;
      }
      PrimitiveType primitive = field.asPrimitiveType();
      element.setType(footerType(primitive.getPrimitiveTypeName()));
      if (primitive.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY) {
        element.setType_length(primitive.getTypeLength());
      }
      if (primitive.getLogicalTypeAnnotation()
          instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) {
        element.setConverted_type(ConvertedType.UTF8);
        element.setLogicalType(LogicalType.STRING(new StringType()));
      }
      elements.add(element);
    }
  }

  /** The footer's name for a primitive type. */
  static org.apache.parquet.format.Type footerType(PrimitiveTypeName type) {
    return switch (type) {
      case BOOLEAN -> org.apache.parquet.format.Type.BOOLEAN;
      case INT32 -> org.apache.parquet.format.Type.INT32;
      case INT64 -> org.apache.parquet.format.Type.INT64;
      case INT96 -> org.apache.parquet.format.Type.INT96;
      case FLOAT -> org.apache.parquet.format.Type.FLOAT;
      case DOUBLE -> org.apache.parquet.format.Type.DOUBLE;
      case BINARY -> org.apache.parquet.format.Type.BYTE_ARRAY;
      case FIXED_LEN_BYTE_ARRAY -> org.apache.parquet.format.Type.FIXED_LEN_BYTE_ARRAY;
    };
  }
}
