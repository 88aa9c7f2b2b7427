package dev.kiln.api.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.api.ApiHarness;
import dev.kiln.api.Fixtures;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Open event streams hold no Jetty thread: more of them than Jetty has threads, and it answers. */
@ExtendWith(KilnStackExtension.class)
class EventStreamThreadsIT {
  private static final int JETTY_THREADS = 20;
  private static final int STREAMS = 32;
  private static ApiHarness api;
  private static Fixtures fixtures;

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("server.maxThreads", String.valueOf(JETTY_THREADS)),
            ConfigOverride.config("server.minThreads", String.valueOf(JETTY_THREADS)),
            ConfigOverride.config("events.maxStreamsPerAccount", String.valueOf(STREAMS)));
    fixtures = new Fixtures(api);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void moreStreamsThanJettyThreadsLeaveTheApiAnswering() throws Exception {
    String token = api.newUser();
    String job = fixtures.submittedJob(token);
    URI url = URI.create(api.base() + "/api/v1/jobs/" + job + "/events");
    List<OpenStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < STREAMS; i++) {
        OpenStream stream = OpenStream.open(url, token, true);
        assertThat(stream.status()).as("stream %d", i).isEqualTo(200);
        streams.add(stream);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> streams.stream().allMatch(OpenStream::started));

      HttpResponse<String> plain =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/whoami"))
                      .header("Authorization", "Bearer " + token)
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(streams).noneMatch(OpenStream::ended);
    } finally {
      streams.forEach(OpenStream::close);
    }
  }
}
