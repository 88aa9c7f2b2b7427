package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API reaches PostgreSQL through a proxy the test cuts: while the database is unreachable the
 * API answers 503 problem+json with Retry-After, and 200 again once it is back.
 */
@ExtendWith(KilnStackExtension.class)
class OutageIT {
  private static CuttableProxy database;
  private static ApiHarness api;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    URI jdbc = URI.create(stack.jdbcUrl().substring("jdbc:".length()));
    database = new CuttableProxy(jdbc.getHost(), jdbc.getPort());
    String viaProxy =
        stack.jdbcUrl().replace(":" + jdbc.getPort() + "/", ":" + database.port() + "/");
    api = ApiHarness.start(new ProxiedDatabase(stack, viaProxy));
  }

  @AfterAll
  static void stop() throws IOException {
    if (api != null) {
      api.close();
    }
    database.close();
  }

  @Test
  void answers503WithRetryAfterWhilePostgresIsUnreachableAndRecovers() {
    String token = api.newUser();
    assertThat(api.get("/api/v1/jobs", token).status()).isEqualTo(200);

    assertThat(database.accepted()).as("connections through the proxy").isPositive();

    database.cut(true);
    Answer down =
        api.post(
            "/api/v1/auth/signup",
            null,
            Map.of(
                "email",
                "late-" + UUID.randomUUID() + "@example.com",
                "password",
                ApiHarness.PASSWORD));

    assertThat(down.status()).as(down.raw().body()).isEqualTo(503);
    assertThat(down.contentType()).startsWith("application/problem+json");
    assertThat(down.header("Retry-After")).isEqualTo("5");
    assertThat(down.text("detail")).startsWith("PostgreSQL is unavailable");

    database.cut(false);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/jobs", token).status() == 200);
  }

  /** The stack with its JDBC URL pointing at the proxy. */
  private record ProxiedDatabase(TestStack real, String jdbcUrl) implements TestStack {
    @Override
    public String dbUser() {
      return real.dbUser();
    }

    @Override
    public String dbPassword() {
      return real.dbPassword();
    }

    @Override
    public javax.sql.DataSource dataSource() {
      return real.dataSource();
    }

    @Override
    public String redisUri() {
      return real.redisUri();
    }

    @Override
    public dev.kiln.embedded.S3Endpoint s3() {
      return real.s3();
    }

    @Override
    public String uploadsBucket() {
      return real.uploadsBucket();
    }

    @Override
    public String resultsBucket() {
      return real.resultsBucket();
    }

    @Override
    public software.amazon.awssdk.services.s3.S3Client s3Client() {
      return real.s3Client();
    }

    @Override
    public java.nio.file.Path tempDir() {
      return real.tempDir();
    }

    @Override
    public dev.kiln.embedded.EmbeddedStack stack() {
      return real.stack();
    }
  }

  /** A TCP proxy that can refuse and drop every connection while cut. */
  static final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final String host;
    private final int targetPort;
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean cut;

    CuttableProxy(String host, int targetPort) throws IOException {
      this.host = host;
      this.targetPort = targetPort;
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread acceptor = new Thread(this::accept, "proxy-accept");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int accepted() {
      return accepted.get();
    }

    int port() {
      return server.getLocalPort();
    }

    void cut(boolean cutNow) {
      cut = cutNow;
      if (cutNow) {
        for (Socket socket : open) {
          closeQuietly(socket);
        }
        open.clear();
      }
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          accepted.incrementAndGet();
          if (cut) {
            closeQuietly(client);
            continue;
          }
          Socket target = new Socket(host, targetPort);
          open.add(client);
          open.add(target);
          pump(client, target);
          pump(target, client);
        } catch (IOException e) {
          // closed, or the target refused: the client sees its connection drop
        }
      }
    }

    private void pump(Socket from, Socket to) {
      Thread thread =
          new Thread(
              () -> {
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  in.transferTo(out);
                } catch (IOException e) {
                  // one side closed
                } finally {
                  closeQuietly(from);
                  closeQuietly(to);
                }
              },
              "proxy-pump");
      thread.setDaemon(true);
      thread.start();
    }

    private static void closeQuietly(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() throws IOException {
      cut(true);
      server.close();
    }
  }
}
