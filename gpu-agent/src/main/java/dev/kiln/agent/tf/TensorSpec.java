package dev.kiln.agent.tf;

import dev.kiln.agent.processor.ProcessorException;
import java.util.Locale;
import org.tensorflow.Signature;
import org.tensorflow.proto.DataType;

/**
 * One input or output of a serving signature as Kiln maps it: one value per row (shape {@code [-1]}
 * or {@code [-1, 1]}) or a fixed-width vector per row ({@code [-1, width]}).
 *
 * @param key the signature's name for it (a column name or JSON key for inputs)
 * @param type its element type
 * @param width values per row
 * @param vector whether each row holds a vector (rank 2) rather than a scalar (rank 1)
 */
public record TensorSpec(String key, DataType type, int width, boolean vector) {
  /** The spec of a signature tensor, or a non-retryable error naming what Kiln cannot feed. */
  public static TensorSpec of(String key, Signature.TensorDescription description, boolean input)
      throws ProcessorException {
    DataType type = description.dataType;
    if (input && !SUPPORTED_INPUTS.contains(type)) {
      throw ProcessorException.fatal(
          "the model's input '"
              + key
              + "' is of type "
              + typeName(type)
              + ", which Kiln cannot feed from text; use float, double, int32, int64, bool or string");
    }
    long[] dims = description.shape == null ? null : description.shape.asArray();
    if (dims == null || dims.length == 0) {
      throw ProcessorException.fatal(
          "the model's "
              + (input ? "input" : "output")
              + " '"
              + key
              + "' has no batch dimension; Kiln feeds rows as the first dimension");
    }
    if (dims.length == 1) {
      return new TensorSpec(key, type, 1, false);
    }
    if (dims.length == 2 && dims[1] > 0) {
      return new TensorSpec(key, type, (int) dims[1], dims[1] != 1 || !input);
    }
    if (!input && dims.length == 2) {
      return new TensorSpec(key, type, -1, true);
    }
    throw ProcessorException.fatal(
        "the model's "
            + (input ? "input" : "output")
            + " '"
            + key
            + "' has shape "
            + description.shape
            + "; Kiln maps [-1] or [-1, n] with a known n");
  }

  private static final java.util.Set<DataType> SUPPORTED_INPUTS =
      java.util.EnumSet.of(
          DataType.DT_FLOAT,
          DataType.DT_DOUBLE,
          DataType.DT_INT32,
          DataType.DT_INT64,
          DataType.DT_BOOL,
          DataType.DT_STRING);

  /** {@code float32}, {@code int64}, ... */
  public static String typeName(DataType type) {
    return switch (type) {
      case DT_FLOAT -> "float32";
      case DT_DOUBLE -> "float64";
      case DT_INT32 -> "int32";
      case DT_INT64 -> "int64";
      case DT_BOOL -> "bool";
      case DT_STRING -> "string";
      default -> type.name().toLowerCase(Locale.ROOT).replace("dt_", "");
    };
  }

  /** How the spec reads in a message: {@code 'petal_width' (float32 [-1])}. */
  public String describe() {
    return "'" + key + "' (" + typeName(type) + (vector ? " [-1, " + width + "]" : " [-1]") + ")";
  }
}
