package dev.kiln.protocol.storage;

import dev.kiln.model.Compression;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Reads compressed inputs: gzip with the JDK, zstd with aircompressor (pure Java). Stateless. */
public final class Decompression {
  private Decompression() {}

  /** The decompressed bytes of {@code raw}, which begins at the start of the compressed input. */
  public static InputStream open(Compression compression, InputStream raw) throws IOException {
    return switch (compression) {
      case NONE -> raw;
      case GZIP -> new GZIPInputStream(raw, 64 * 1024);
      case ZSTD -> new ZstdInputStream(raw);
    };
  }
}
