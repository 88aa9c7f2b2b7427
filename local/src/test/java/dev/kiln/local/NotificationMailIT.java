package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.JobState;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform with a mail server: a succeeded job's e-mail arrives, its unsubscribe link
 * (followed against the API, without a login) turns that kind of e-mail off, and the job is in the
 * account's in-app notifications.
 */
class NotificationMailIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void aSucceededJobIsMailedAndItsUnsubscribeLinkWorks() throws Exception {
    GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    // The scheduler reads these overrides of its YAML as Dropwizard's dw.* system properties; the
    // API gets the same through the platform's own overrides.
    Map<String, String> overrides =
        Map.of(
            "dw.notifications.smtp.host", "127.0.0.1",
            "dw.notifications.smtp.port", Integer.toString(mail.getSmtp().getPort()),
            "dw.notifications.smtp.startTls", "false",
            "dw.notifications.unsubscribeKey", "a local test key for unsubscribe links, 0001");
    overrides.forEach(System::setProperty);
    Map<String, String> apiOverrides = new java.util.HashMap<>();
    overrides.forEach((key, value) -> apiOverrides.put(key.substring("dw.".length()), value));
    try (LocalPlatform platform = LocalPlatform.start(settings(apiOverrides))) {
      FileView input =
          platform.client().upload(Files.writeString(dataDir.resolve("in.csv"), "id,x\n1,2\n"));
      JobView job =
          platform
              .client()
              .submit(new JobCreateRequest("parse", List.of(input.id()), null, null, 0), null);
      assertThat(platform.client().awaitJob(job.id(), Duration.ofMinutes(2)).state())
          .isEqualTo(JobState.SUCCEEDED);

      assertThat(mail.waitForIncomingEmail(30_000, 1)).isTrue();
      MimeMessage message = mail.getReceivedMessages()[0];
      assertThat(message.getAllRecipients()[0].toString()).isEqualTo(platform.account().email());
      assertThat(message.getSubject()).contains("succeeded");
      String link = unsubscribeLink(text(message));

      HttpResponse<String> unsubscribed = get(platform.apiUrl().resolve(link), null);
      assertThat(unsubscribed.statusCode()).as(unsubscribed.body()).isEqualTo(200);
      String token = platform.account().token();
      JsonNode preferences =
          JSON.readTree(
              get(platform.apiUrl().resolve("/api/v1/account/notifications"), token).body());
      assertThat(preferences.get("jobSucceeded").asBoolean()).isFalse();
      assertThat(preferences.get("jobFailed").asBoolean()).isTrue();
      JsonNode notifications =
          JSON.readTree(
              get(platform.apiUrl().resolve("/api/v1/notifications?unread=true"), token).body());
      assertThat(notifications.get("items").get(0).get("jobId").asText())
          .isEqualTo(job.id().toString());
    } finally {
      overrides.keySet().forEach(System::clearProperty);
      mail.stop();
    }
  }

  private LocalSettings settings(Map<String, String> apiOverrides) {
    return new LocalSettings(
        dataDir,
        0,
        0,
        1,
        1,
        System.getProperty("java.class.path"),
        TestSettings.javacppCacheDir(),
        false,
        apiOverrides);
  }

  /** The link's path and query, to be sent to the API this test started. */
  private static String unsubscribeLink(String text) {
    Matcher matcher =
        Pattern.compile("https?://[^/\\s]+(/api/v1/notifications/unsubscribe\\S+)").matcher(text);
    assertThat(matcher.find()).as(text).isTrue();
    return matcher.group(1);
  }

  private static String text(MimeMessage message) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      if (part.isMimeType("text/plain")) {
        return (String) part.getContent();
      }
    }
    throw new AssertionError("no text part");
  }

  private static HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
