package dev.kiln.agent.tf;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArray;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** One output tensor of a batch, copied into a primitive array and formatted per row. */
final class OutputColumn {
  private final TensorSpec spec;
  private final int width;
  private float[] floats;
  private double[] doubles;
  private int[] ints;
  private long[] longs;
  private Object[] objects;

  private OutputColumn(TensorSpec spec, int width) {
    this.spec = spec;
    this.width = width;
  }

  static OutputColumn read(TensorSpec spec, Tensor tensor, int rows) {
    long size = tensor.shape().size();
    if (tensor.shape().numDimensions() == 0 || tensor.shape().get(0) != rows) {
      throw new IllegalStateException(
          "the model's output '"
              + spec.key()
              + "' has shape "
              + tensor.shape()
              + " for a batch of "
              + rows
              + " rows");
    }
    OutputColumn column = new OutputColumn(spec, (int) (size / rows));
    switch (tensor.dataType()) {
      case DT_FLOAT -> {
        column.floats = new float[(int) size];
        ((TFloat32) tensor).copyTo(DataBuffers.of(column.floats, false, false));
      }
      case DT_DOUBLE -> {
        column.doubles = new double[(int) size];
        ((TFloat64) tensor).copyTo(DataBuffers.of(column.doubles, false, false));
      }
      case DT_INT32 -> {
        column.ints = new int[(int) size];
        ((TInt32) tensor).copyTo(DataBuffers.of(column.ints, false, false));
      }
      case DT_INT64 -> {
        column.longs = new long[(int) size];
        ((TInt64) tensor).copyTo(DataBuffers.of(column.longs, false, false));
      }
      default -> {
        @SuppressWarnings("unchecked")
        NdArray<Object> array = (NdArray<Object>) tensor;
        Object[] values = new Object[(int) size];
        int[] index = {0};
        array.scalars().forEach(s -> values[index[0]++] = s.getObject());
        column.objects = values;
      }
    }
    return column;
  }

  void appendCsv(int row, StringBuilder line) {
    boolean split = spec.vector() && spec.width() > 0;
    for (int i = 0; i < width; i++) {
      if (i > 0) {
        line.append(split ? ',' : ' ');
      }
      int index = row * width + i;
      if (objects != null) {
        line.append(dev.kiln.agent.processor.Csv.quote(String.valueOf(objects[index])));
      } else {
        appendNumber(index, line, false);
      }
    }
  }

  void appendJson(int row, StringBuilder line) {
    boolean array = spec.vector();
    if (array) {
      line.append('[');
    }
    for (int i = 0; i < width; i++) {
      if (i > 0) {
        line.append(',');
      }
      int index = row * width + i;
      if (objects != null) {
        Object value = objects[index];
        if (value instanceof Boolean) {
          line.append(value);
        } else {
          line.append(BatchInference.quoteJson(String.valueOf(value)));
        }
      } else {
        appendNumber(index, line, true);
      }
    }
    if (array) {
      line.append(']');
    }
  }

  private void appendNumber(int index, StringBuilder line, boolean json) {
    if (floats != null) {
      float value = floats[index];
      if (json && !Float.isFinite(value)) {
        line.append("null");
      } else {
        line.append(value);
      }
    } else if (doubles != null) {
      double value = doubles[index];
      if (json && !Double.isFinite(value)) {
        line.append("null");
      } else {
        line.append(value);
      }
    } else if (ints != null) {
      line.append(ints[index]);
    } else {
      line.append(longs[index]);
    }
  }
}
