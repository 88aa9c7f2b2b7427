package dev.kiln.agent;

import dev.kiln.agent.processor.Csv;
import dev.kiln.agent.processor.OutputSink;
import dev.kiln.agent.tf.BatchInference;
import dev.kiln.agent.tf.LoadedModel;
import dev.kiln.agent.tf.TfThreads;
import dev.kiln.model.InputFormat;
import dev.kiln.model.plan.LineRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tensorflow.Signature;

/**
 * The hand-written loop using every core: the file cut into {@code sessions} slices at line breaks,
 * each scored on a thread of its own with a model session of its own, the same parsing and
 * formatting as the single loop. Output is discarded (each slice formats it all the same); rows are
 * counted. Stateless.
 */
final class ParallelPlainLoop {
  private ParallelPlainLoop() {}

  static PlainLoopBaseline.Measurement run(
      Path modelDir, Path input, int batchSize, TfThreads threads, int sessions) throws Exception {
    InputFormat format = InputFormat.fromFileName(input.toString());
    String header = null;
    long bodyStart = 0;
    if (format == InputFormat.CSV) {
      try (BufferedReader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
        header = reader.readLine();
      }
      bodyStart = header.getBytes(StandardCharsets.UTF_8).length + 1L;
    }
    long[] cuts = cuts(input, bodyStart, sessions);
    List<String> columns = header == null ? List.of() : Csv.split(header);
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    long started = System.nanoTime();
    try {
      List<Future<Long>> slices = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        long from = cuts[i];
        long to = cuts[i + 1];
        slices.add(
            pool.submit(
                () -> slice(modelDir, input, from, to, format, columns, batchSize, threads)));
      }
      long rows = 0;
      for (Future<Long> slice : slices) {
        rows += slice.get();
      }
      return new PlainLoopBaseline.Measurement("plain", rows, (System.nanoTime() - started) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Byte offsets where each slice starts (each just after a line break), and the file's end. */
  private static long[] cuts(Path input, long bodyStart, int sessions) throws IOException {
    long size = Files.size(input);
    long[] cuts = new long[sessions + 1];
    cuts[0] = bodyStart;
    cuts[sessions] = size;
    try (RandomAccessFile file = new RandomAccessFile(input.toFile(), "r")) {
      for (int i = 1; i < sessions; i++) {
        long at = Math.max(cuts[i - 1], bodyStart + (size - bodyStart) * i / sessions);
        file.seek(at);
        int b;
        while ((b = file.read()) >= 0 && b != '\n') {
          at++;
        }
        cuts[i] = Math.min(size, at + 1);
      }
    }
    return cuts;
  }

  private static long slice(
      Path modelDir,
      Path input,
      long from,
      long to,
      InputFormat format,
      List<String> columns,
      int batchSize,
      TfThreads threads)
      throws Exception {
    long rows = 0;
    try (LoadedModel model = LoadedModel.load(modelDir, Signature.DEFAULT_KEY, threads);
        FileChannel channel = FileChannel.open(input, StandardOpenOption.READ);
        InputStream in = Channels.newInputStream(channel.position(from));
        BufferedReader reader =
            new BufferedReader(
                new InputStreamReader(limited(in, to - from), StandardCharsets.UTF_8), 1 << 16);
        Writer writer =
            new BufferedWriter(
                new OutputStreamWriter(OutputStream.nullOutputStream(), StandardCharsets.UTF_8))) {
      model.acquire();
      BatchInference inference =
          new BatchInference(model, format, columns, "id", Set.of(), batchSize);
      OutputSink sink =
          new OutputSink() {
            @Override
            public void write(String record) throws IOException {
              writer.write(record);
              writer.write('\n');
            }

            @Override
            public void error(long offset, String message) {}
          };
      List<LineRecord> batch = new ArrayList<>(batchSize);
      String line;
      long offset = 0;
      while ((line = reader.readLine()) != null) {
        batch.add(new LineRecord(offset++, line));
        if (batch.size() == batchSize) {
          inference.process(batch, sink);
          rows += batch.size();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        inference.process(batch, sink);
        rows += batch.size();
      }
    }
    return rows;
  }

  private static InputStream limited(InputStream in, long bytes) {
    return new InputStream() {
      private long left = bytes;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = in.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }
}
