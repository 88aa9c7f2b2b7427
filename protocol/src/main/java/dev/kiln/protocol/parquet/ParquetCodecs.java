package dev.kiln.protocol.parquet;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.format.CompressionCodec;

/**
 * The page compressions Kiln reads and writes: none, Snappy, gzip, zstd and LZ4 (raw), all in pure
 * Java (aircompressor and the JDK), so no native library is loaded. Stateless.
 */
final class ParquetCodecs {
  private ParquetCodecs() {}

  /**
   * The {@code uncompressedSize} bytes {@code compressed} holds.
   *
   * @throws BadParquetException when the codec is not one Kiln reads, or the bytes do not
   *     decompress
   */
  static byte[] decompress(CompressionCodec codec, byte[] compressed, int uncompressedSize)
      throws BadParquetException {
    try {
      return switch (codec) {
        case UNCOMPRESSED -> compressed;
        case SNAPPY -> decompress(new SnappyDecompressor(), compressed, uncompressedSize);
        case ZSTD -> decompress(new ZstdDecompressor(), compressed, uncompressedSize);
        case LZ4_RAW -> decompress(new Lz4Decompressor(), compressed, uncompressedSize);
        case GZIP -> gunzip(compressed, uncompressedSize);
        default ->
            throw new BadParquetException(
                "has pages compressed with "
                    + codec
                    + ", which Kiln does not read: write it with snappy, zstd, gzip, lz4_raw or no"
                    + " compression");
      };
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadParquetException bad) {
        throw bad;
      }
      throw new BadParquetException(
          "has a "
              + codec
              + " page that does not decompress ("
              + e.getMessage()
              + "): the file is damaged; write it again and upload it",
          e);
    }
  }

  private static byte[] decompress(Decompressor decompressor, byte[] in, int size) {
    byte[] out = new byte[size];
    int written = decompressor.decompress(in, 0, in.length, out, 0, size);
    if (written != size) {
      throw new IllegalStateException("it holds " + written + " bytes, not " + size);
    }
    return out;
  }

  private static byte[] gunzip(byte[] in, int size) throws IOException {
    try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in))) {
      byte[] out = gzip.readNBytes(size);
      if (out.length != size) {
        throw new IOException("it holds " + out.length + " bytes, not " + size);
      }
      return out;
    }
  }

  /** {@code bytes} compressed with {@code codec} (none, snappy, zstd, gzip or lz4_raw). */
  static byte[] compress(CompressionCodec codec, byte[] bytes) {
    return switch (codec) {
      case UNCOMPRESSED -> bytes;
      case SNAPPY -> compress(new SnappyCompressor(), bytes);
      case ZSTD -> compress(new ZstdCompressor(), bytes);
      case LZ4_RAW -> compress(new Lz4Compressor(), bytes);
      case GZIP -> gzip(bytes);
      default -> throw new IllegalArgumentException("Kiln does not write " + codec + " pages");
    };
  }

  private static byte[] compress(Compressor compressor, byte[] bytes) {
    byte[] out = new byte[compressor.maxCompressedLength(bytes.length)];
    int written = compressor.compress(bytes, 0, bytes.length, out, 0, out.length);
    return Arrays.copyOf(out, written);
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
