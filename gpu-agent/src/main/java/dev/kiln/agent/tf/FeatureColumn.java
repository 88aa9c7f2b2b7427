package dev.kiln.agent.tf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * The values of one model input for one batch, parsed from text into a primitive array and turned
 * into one tensor. Reused from batch to batch; not thread-safe.
 */
final class FeatureColumn {
  /** A value that does not fit the input's type. */
  static final class BadValueException extends Exception {
    BadValueException(String message) {
      super(message);
    }
  }

  private final TensorSpec spec;
  private float[] floats;
  private double[] doubles;
  private int[] ints;
  private long[] longs;
  private boolean[] bools;
  private String[] strings;

  FeatureColumn(TensorSpec spec, int rows) {
    this.spec = spec;
    int size = rows * spec.width();
    switch (spec.type()) {
      case DT_FLOAT -> floats = new float[size];
      case DT_DOUBLE -> doubles = new double[size];
      case DT_INT32 -> ints = new int[size];
      case DT_INT64 -> longs = new long[size];
      case DT_BOOL -> bools = new boolean[size];
      default -> strings = new String[size];
    }
  }

  TensorSpec spec() {
    return spec;
  }

  /** Sets row {@code row} from a CSV field (vectors: values separated by spaces or semicolons). */
  void setText(int row, String text) throws BadValueException {
    if (!spec.vector()) {
      setOne(row * spec.width(), text.strip());
      return;
    }
    String[] parts = text.strip().split("[;\\s]+");
    if (parts.length != spec.width()) {
      throw new BadValueException(
          "holds " + parts.length + " values where the model expects " + spec.width());
    }
    for (int i = 0; i < parts.length; i++) {
      setOne(row * spec.width() + i, parts[i]);
    }
  }

  /** Sets row {@code row} from a JSON value (vectors: an array of {@code width} values). */
  void setJson(int row, JsonNode node) throws BadValueException {
    if (!spec.vector()) {
      setOne(row * spec.width(), node);
      return;
    }
    if (!node.isArray() || node.size() != spec.width()) {
      throw new BadValueException("must be an array of " + spec.width() + " values");
    }
    for (int i = 0; i < spec.width(); i++) {
      setOne(row * spec.width() + i, node.get(i));
    }
  }

  private void setOne(int index, JsonNode node) throws BadValueException {
    if (node.isTextual() && spec.type() != org.tensorflow.proto.DataType.DT_STRING) {
      setOne(index, node.asText());
      return;
    }
    switch (spec.type()) {
      case DT_FLOAT -> floats[index] = (float) number(node).doubleValue();
      case DT_DOUBLE -> doubles[index] = number(node).doubleValue();
      case DT_INT32 -> ints[index] = integral(node).intValue();
      case DT_INT64 -> longs[index] = integral(node).longValue();
      case DT_BOOL -> {
        if (!node.isBoolean()) {
          throw new BadValueException("is not true or false");
        }
        bools[index] = node.booleanValue();
      }
      default -> strings[index] = node.isValueNode() ? node.asText() : node.toString();
    }
  }

  private static Number number(JsonNode node) throws BadValueException {
    if (!node.isNumber()) {
      throw new BadValueException("is not a number: " + abbreviate(node.toString()));
    }
    return node.numberValue();
  }

  private Number integral(JsonNode node) throws BadValueException {
    if (!node.isIntegralNumber()) {
      throw new BadValueException("is not a whole number: " + abbreviate(node.toString()));
    }
    if (spec.type() == org.tensorflow.proto.DataType.DT_INT32 && !node.canConvertToInt()) {
      throw new BadValueException("is out of int32 range: " + node);
    }
    return node.numberValue();
  }

  private void setOne(int index, String text) throws BadValueException {
    try {
      switch (spec.type()) {
        case DT_FLOAT -> floats[index] = Float.parseFloat(text);
        case DT_DOUBLE -> doubles[index] = Double.parseDouble(text);
        case DT_INT32 -> ints[index] = Integer.parseInt(text);
        case DT_INT64 -> longs[index] = Long.parseLong(text);
        case DT_BOOL -> bools[index] = parseBool(text);
        default -> strings[index] = text;
      }
    } catch (NumberFormatException e) {
      throw new BadValueException(
          "is not "
              + article()
              + TensorSpec.typeName(spec.type())
              + " number: '"
              + abbreviate(text)
              + "'");
    }
  }

  private String article() {
    return spec.type() == org.tensorflow.proto.DataType.DT_INT32
            || spec.type() == org.tensorflow.proto.DataType.DT_INT64
        ? "an "
        : "a ";
  }

  private static boolean parseBool(String text) throws BadValueException {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new BadValueException("is not true or false: '" + abbreviate(text) + "'");
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  /** A tensor of the first {@code rows} rows; the caller closes it. */
  Tensor tensor(int rows) {
    int size = rows * spec.width();
    Shape shape = spec.vector() ? Shape.of(rows, spec.width()) : Shape.of(rows);
    return switch (spec.type()) {
      case DT_FLOAT -> TFloat32.tensorOf(shape, DataBuffers.of(floats, true, false).narrow(size));
      case DT_DOUBLE -> TFloat64.tensorOf(shape, DataBuffers.of(doubles, true, false).narrow(size));
      case DT_INT32 -> TInt32.tensorOf(shape, DataBuffers.of(ints, true, false).narrow(size));
      case DT_INT64 -> TInt64.tensorOf(shape, DataBuffers.of(longs, true, false).narrow(size));
      case DT_BOOL -> TBool.tensorOf(shape, DataBuffers.of(bools, true, false).narrow(size));
      default -> {
        String[] copy = java.util.Arrays.copyOf(strings, size);
        yield TString.tensorOf(StandardCharsets.UTF_8, shape, DataBuffers.ofObjects(copy));
      }
    };
  }
}
