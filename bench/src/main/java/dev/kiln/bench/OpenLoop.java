package dev.kiln.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop HTTP/1.1 load generator, run as its own process beside the server: requests arrive
 * at a fixed rate whatever the server does, and each latency counts from the request's scheduled
 * start, so queueing in front of a slow server is measured rather than hidden (no coordinated
 * omission). A pool of keep-alive connections on plain blocking sockets keeps the generator's own
 * cost small.
 *
 * <p>Usage: {@code OpenLoop host port rate seconds connections expectedStatus requestFile}, where
 * the request file holds raw requests separated by NUL characters, sent in turn; the text {@code
 * {n}} in them is replaced by the request's sequence number (for unique idempotency keys). Prints
 * one line: {@code requests failed seconds p50 p90 p99 max} (milliseconds).
 */
public final class OpenLoop {
  private static final long STOP = -1;
  private static final String SEPARATOR = "\0";

  private final InetSocketAddress server;
  private final String[] templates;
  private final int expectedStatus;
  private final AtomicLong failed = new AtomicLong();

  private OpenLoop(InetSocketAddress server, String[] templates, int expectedStatus) {
    this.server = server;
    this.templates = templates;
    this.expectedStatus = expectedStatus;
  }

  /** What one open-loop run measured (latencies in milliseconds). */
  record Summary(
      long requests,
      long failures,
      double seconds,
      double p50,
      double p90,
      double p99,
      double max) {
    static Summary parse(String line) {
      String[] f = line.strip().split(" ");
      return new Summary(
          Long.parseLong(f[0]),
          Long.parseLong(f[1]),
          Double.parseDouble(f[2]),
          Double.parseDouble(f[3]),
          Double.parseDouble(f[4]),
          Double.parseDouble(f[5]),
          Double.parseDouble(f[6]));
    }
  }

  /** Runs the generator against {@code target} in a separate JVM and reads its summary. */
  static Summary measure(Target target, Path work, int rate, int seconds, int connections)
      throws IOException, InterruptedException {
    Path request = work.resolve("request-" + UUID.randomUUID() + ".http");
    Files.writeString(
        request, String.join(SEPARATOR, target.rawRequests("open-" + UUID.randomUUID())));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                OpenLoop.class.getName(),
                target.url().getHost(),
                Integer.toString(target.url().getPort()),
                Integer.toString(rate),
                Integer.toString(seconds),
                Integer.toString(connections),
                Integer.toString(target.expectedStatus()),
                request.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("the open-loop generator failed: " + output);
    }
    return Summary.parse(output);
  }

  public static void main(String[] args) throws Exception {
    InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int connections = Integer.parseInt(args[4]);
    int expectedStatus = Integer.parseInt(args[5]);
    String[] templates =
        Files.readString(Path.of(args[6]), StandardCharsets.UTF_8).split(SEPARATOR);
    OpenLoop load = new OpenLoop(server, templates, expectedStatus);
    load.run(rate, 2, connections);
    System.out.println(load.run(rate, seconds, connections));
  }

  /** One run: {@code rate} requests per second for {@code seconds}; the summary line. */
  private String run(int rate, int seconds, int connections) throws InterruptedException {
    int total = rate * seconds;
    long interval = 1_000_000_000L / rate;
    long[] latencies = new long[total];
    AtomicInteger next = new AtomicInteger();
    BlockingQueue<Long> due = new ArrayBlockingQueue<>(total + connections);
    failed.set(0);
    Thread[] workers = new Thread[connections];
    for (int i = 0; i < connections; i++) {
      workers[i] = new Thread(() -> work(due, latencies, next), "open-loop-" + i);
      workers[i].start();
    }
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long scheduled = start + i * interval;
      long wait = scheduled - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      due.add(scheduled);
    }
    for (int i = 0; i < connections; i++) {
      due.add(STOP);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    return String.format(
        Locale.ROOT,
        "%d %d %.3f %.3f %.3f %.3f %.3f",
        total,
        failed.get(),
        elapsed,
        percentile(latencies, 50),
        percentile(latencies, 90),
        percentile(latencies, 99),
        percentile(latencies, 100));
  }

  private void work(BlockingQueue<Long> due, long[] latencies, AtomicInteger next) {
    Connection connection = null;
    try {
      while (true) {
        long scheduled = due.take();
        if (scheduled == STOP) {
          return;
        }
        int n = next.getAndIncrement();
        try {
          if (connection == null) {
            connection = new Connection(server);
          }
          byte[] request =
              templates[n % templates.length]
                  .replace("{n}", Integer.toString(n))
                  .getBytes(StandardCharsets.US_ASCII);
          if (connection.exchange(request) != expectedStatus) {
            failed.incrementAndGet();
          }
        } catch (IOException e) {
          failed.incrementAndGet();
          closeQuietly(connection);
          connection = null;
        }
        latencies[n] = System.nanoTime() - scheduled;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(connection);
    }
  }

  private static double percentile(long[] sortedNanos, double p) {
    int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(index, sortedNanos.length - 1))] / 1e6;
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.socket.close();
      } catch (IOException ignored) {
        // already broken
      }
    }
  }

  /** One keep-alive connection: writes a request, reads one whole response, returns its status. */
  private static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Connection(InetSocketAddress server) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(server, 5_000);
      socket.setSoTimeout(30_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    int exchange(byte[] request) throws IOException {
      out.write(request);
      out.flush();
      String statusLine = line();
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      for (String header = line(); !header.isEmpty(); header = line()) {
        String lower = header.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-length:")) {
          length = Long.parseLong(lower.substring(15).strip());
        } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
          chunked = true;
        }
      }
      if (chunked) {
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
          skip(size);
          line();
        }
        line();
      } else if (length > 0) {
        skip(length);
      }
      return status;
    }

    private long chunkSize() throws IOException {
      String size = line();
      int extension = size.indexOf(';');
      return Long.parseLong(extension < 0 ? size.strip() : size.substring(0, extension), 16);
    }

    private void skip(long bytes) throws IOException {
      long left = bytes;
      while (left > 0) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed inside a response");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed inside a response");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }
}
