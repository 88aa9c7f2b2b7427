package dev.kiln.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.notify.DeliveryRow;
import dev.kiln.db.notify.NotificationDao;
import dev.kiln.db.notify.WebhookDao;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEvent;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Pricing;
import dev.kiln.model.notify.DeliverySchedule;
import dev.kiln.model.notify.NotificationSettings;
import dev.kiln.model.notify.WebhookAddressPolicy;
import dev.kiln.model.notify.WebhookSignature;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.Scheduler;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job events reach a webhook receiver on loopback exactly once each, signed as Standard Webhooks
 * says, across a restart of the scheduler in the middle of a stream of deliveries; failed
 * deliveries are retried with backoff and logged; a webhook failing for days is disabled.
 */
@ExtendWith(KilnStackExtension.class)
class NotifyIT {
  static final Duration TICK = Duration.ofMillis(50);
  static final DeliverySchedule FAST_RETRIES =
      new DeliverySchedule(
          Duration.ofMillis(300), Duration.ofSeconds(2), Duration.ofDays(1), Duration.ofDays(3));

  private static StackClients clients;
  private static Jdbi jdbi;
  private static ObjectStore store;
  private final ObjectMapper json = new ObjectMapper();
  private Fixtures fixtures;
  private WebhookReceiver receiver;
  private Scheduler scheduler;
  private Notifier notifier;
  private TestAgent agent;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    jdbi = clients.jdbi();
    store = clients.store();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void start() throws Exception {
    fixtures = new Fixtures(jdbi, store);
    receiver = new WebhookReceiver();
    startScheduler();
  }

  @AfterEach
  void stop() {
    stopScheduler();
    receiver.close();
  }

  static NotificationSettings settings(Optional<NotificationSettings.Smtp> smtp) {
    return new NotificationSettings(
        true,
        "http://127.0.0.1:8080",
        Optional.of("a test key for unsubscribe links, long enough"),
        smtp,
        FAST_RETRIES,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        64 * 1024);
  }

  private void startScheduler() {
    MetricRegistry metrics = new MetricRegistry();
    scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            store,
            SchedulerSettings.defaults("notify-it-" + UUID.randomUUID()),
            Clock.systemUTC(),
            metrics);
    notifier =
        new Notifier(
            jdbi,
            scheduler.leadership(),
            scheduler.workSignals(),
            settings(Optional.empty()),
            Pricing.DEFAULT,
            TICK,
            Clock.systemUTC(),
            metrics);
    scheduler.start();
    notifier.start();
    agent =
        new TestAgent(
                "notify-agent",
                scheduler.queue(),
                store,
                4,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                lease -> {})
            .start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
  }

  private void stopScheduler() {
    agent.close();
    notifier.close();
    scheduler.close();
  }

  private UUID webhook(UUID owner, String secret) {
    UUID id = UUID.randomUUID();
    jdbi.onDemand(WebhookDao.class).insert(id, owner, receiver.url(), secret, "", Instant.now());
    return id;
  }

  private UUID succeededJob(UUID owner) {
    UUID job =
        fixtures.submit(
            owner, TestAgent.PROCESSOR, "{}", 0, List.of(fixtures.upload(owner, "in.txt", "a\n")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(job).state() == JobState.SUCCEEDED);
    return job;
  }

  @Test
  void everyEventArrivesOnceSignedAcrossARestartMidway() throws Exception {
    UUID owner = fixtures.account();
    String secret = WebhookSignature.newSecret(new SecureRandom());
    webhook(owner, secret);
    UUID job = succeededJob(owner);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() >= 3);

    // A burst of events, delivered slowly; the scheduler stops while they are being delivered.
    receiver.delay(Duration.ofMillis(40));
    Instant now = Instant.now();
    jdbi.useTransaction(
        handle -> {
          for (int i = 0; i < 40; i++) {
            handle
                .attach(OutboxDao.class)
                .append(UUID.randomUUID(), owner, OutboxEventType.RUNNING, "{\"shards\":1}", now);
          }
        });
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 13);
    stopScheduler();
    int beforeRestart = receiver.received().size();
    assertThat(beforeRestart).isLessThan(43);
    receiver.delay(Duration.ZERO);
    startScheduler();
    UUID second = succeededJob(owner);

    List<OutboxEvent> events =
        jdbi.withHandle(
            handle ->
                handle
                    .registerRowMapper(ConstructorMapper.factory(OutboxEvent.class))
                    .createQuery(
                        "select id, job_id, owner_id, type, payload_json::text as payload_json,"
                            + " created_at from outbox where owner_id = :owner order by id")
                    .bind("owner", owner)
                    .mapTo(OutboxEvent.class)
                    .list());
    assertThat(events).hasSize(46);
    Set<String> expected =
        events.stream().map(event -> "evt_" + event.id()).collect(Collectors.toSet());
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().size() >= 46);
    Thread.sleep(500);
    List<WebhookReceiver.Received> received = receiver.received();
    List<String> ids = received.stream().map(WebhookReceiver.Received::id).toList();

    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new HashSet<>(ids)).isEqualTo(expected);
    for (WebhookReceiver.Received request : received) {
      long timestamp = Long.parseLong(request.timestamp());
      assertThat(
              WebhookSignature.verify(
                  secret, request.id(), timestamp, request.body(), request.signature()))
          .as(request.id())
          .isTrue();
      assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(120);
    }
    JsonNode last = json.readTree(received.get(received.size() - 1).body());
    assertThat(last.get("type").asText()).isEqualTo(OutboxEventType.SUCCEEDED.wireName());
    assertThat(last.at("/data/jobId").asText()).isEqualTo(second.toString());
    assertThat(
            received.stream()
                .filter(r -> r.body().contains(job.toString()))
                .map(r -> readType(r.body())))
        .containsExactly(
            OutboxEventType.SUBMITTED.wireName(),
            OutboxEventType.RUNNING.wireName(),
            OutboxEventType.SUCCEEDED.wireName());
  }

  @Test
  void aFailingReceiverIsRetriedWithBackoffAndTheLogShowsEveryAnswer() {
    UUID owner = fixtures.account();
    UUID webhook = webhook(owner, WebhookSignature.newSecret(new SecureRandom()));
    receiver.answer(500, 500);
    UUID delivery = UUID.randomUUID();
    WebhookDao dao = jdbi.onDemand(WebhookDao.class);
    dao.addDelivery(delivery, webhook, "test_" + delivery, "webhook.test", "{}", Instant.now());

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> dao.deliveryById(delivery).orElseThrow().status().equals("delivered"));

    DeliveryRow row = dao.deliveryById(delivery).orElseThrow();
    assertThat(row.attempts()).isEqualTo(3);
    var attempts = dao.attempts(delivery);
    assertThat(attempts).extracting(a -> a.statusCode()).containsExactly(500, 500, 200);
    assertThat(attempts).allSatisfy(a -> assertThat(a.durationMs()).isBetween(0, 5000));
    // Waits of at least half the first retry (300 ms), then half of twice that.
    assertThat(Duration.between(attempts.get(0).attemptedAt(), attempts.get(1).attemptedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(Duration.between(attempts.get(1).attemptedAt(), attempts.get(2).attemptedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(receiver.received()).extracting(r -> r.id()).containsOnly("test_" + delivery);
    assertThat(dao.byId(webhook).orElseThrow().failingSince()).isNull();
  }

  @Test
  void aWebhookThatOnlyFailedForThreeDaysIsDisabledAndNoLongerSent() throws Exception {
    UUID owner = fixtures.account();
    UUID webhook = webhook(owner, WebhookSignature.newSecret(new SecureRandom()));
    jdbi.useHandle(
        handle ->
            handle.execute(
                "update webhooks set failing_since = ? where id = ?",
                Instant.now().minus(Duration.ofDays(3)).minusSeconds(60),
                webhook));
    receiver.answer(503);
    UUID delivery = UUID.randomUUID();
    WebhookDao dao = jdbi.onDemand(WebhookDao.class);
    dao.addDelivery(delivery, webhook, "test_" + delivery, "webhook.test", "{}", Instant.now());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dao.byId(webhook).orElseThrow().disabledAt() != null);

    assertThat(dao.byId(webhook).orElseThrow().disabledReason()).contains("failed");
    assertThat(dao.attempts(delivery)).extracting(a -> a.statusCode()).containsExactly(503);
    succeededJob(owner);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                jdbi.onDemand(NotificationDao.class).page(owner, true, null, null, 10).size() == 1);
    Thread.sleep(300);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void eachDeliveryChecksTheAddressAgainAndRefusesOneNoLongerAllowed() {
    UUID owner = fixtures.account();
    UUID webhook = webhook(owner, WebhookSignature.newSecret(new SecureRandom()));
    notifier.close();
    UUID delivery = UUID.randomUUID();
    WebhookDao dao = jdbi.onDemand(WebhookDao.class);
    dao.addDelivery(delivery, webhook, "test_" + delivery, "webhook.test", "{}", Instant.now());
    // The webhook was made in local mode; a scheduler without that flag refuses to send it.
    WebhookDeliverer strict =
        new WebhookDeliverer(
            jdbi,
            new WebhookClient(
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1024,
                (SSLSocketFactory) SSLSocketFactory.getDefault()),
            new WebhookAddressPolicy(false),
            InetAddress::getAllByName,
            FAST_RETRIES,
            scheduler.leadership(),
            Clock.systemUTC(),
            () -> 0.0);

    strict.deliverDue();

    assertThat(dao.attempts(delivery))
        .singleElement()
        .satisfies(
            attempt -> {
              assertThat(attempt.statusCode()).isNull();
              assertThat(attempt.error()).contains("not sent").contains("loopback");
            });
    assertThat(dao.deliveryById(delivery).orElseThrow().status()).isEqualTo("pending");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void anEventOfADeletedAccountIsPassedOverWithoutHoldingUpTheOthers() {
    UUID owner = fixtures.account();
    webhook(owner, WebhookSignature.newSecret(new SecureRandom()));
    OutboxDao outbox = jdbi.onDemand(OutboxDao.class);
    outbox.append(
        UUID.randomUUID(),
        UUID.randomUUID(),
        OutboxEventType.FAILED,
        "{\"reason\":\"x\"}",
        Instant.now());
    UUID job = UUID.randomUUID();
    outbox.append(job, owner, OutboxEventType.SUCCEEDED, "{}", Instant.now());

    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);

    assertThat(receiver.received().get(0).body()).contains(job.toString());
    assertThat(jdbi.onDemand(NotifyDao.class).pendingEvents(10)).isEmpty();
  }

  private String readType(String body) {
    try {
      return json.readTree(body).get("type").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
