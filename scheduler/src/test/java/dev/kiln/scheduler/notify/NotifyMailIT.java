package dev.kiln.scheduler.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.kiln.db.OutboxDao;
import dev.kiln.db.notify.NotificationDao;
import dev.kiln.db.notify.NotificationRow;
import dev.kiln.model.JobState;
import dev.kiln.model.OutboxEventType;
import dev.kiln.model.Pricing;
import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.NotificationSettings;
import dev.kiln.model.notify.UnsubscribeToken;
import dev.kiln.protocol.queue.Lease;
import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.Scheduler;
import dev.kiln.scheduler.settings.SchedulerSettings;
import dev.kiln.scheduler.support.Fixtures;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.scheduler.support.TestAgent;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.SpendRows;
import dev.kiln.testkit.TestStack;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * E-mails of succeeded and failed jobs and of budget thresholds, received by an SMTP server in the
 * test, with text and HTML parts and a working unsubscribe token; in-app notifications beside them.
 */
@ExtendWith(KilnStackExtension.class)
class NotifyMailIT {
  private static final String KEY = "a test key for unsubscribe links, long enough";

  private static StackClients clients;
  private static Jdbi jdbi;
  private static ObjectStore store;
  private static TestStack stack;
  private Fixtures fixtures;
  private GreenMail mail;
  private Scheduler scheduler;
  private Notifier notifier;
  private TestAgent agent;

  @BeforeAll
  static void connect(TestStack testStack) {
    stack = testStack;
    clients = new StackClients(testStack);
    jdbi = clients.jdbi();
    store = clients.store();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @BeforeEach
  void start() {
    fixtures = new Fixtures(jdbi, store);
    mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    mail.start();
    NotificationSettings.Smtp smtp =
        new NotificationSettings.Smtp(
            "127.0.0.1", mail.getSmtp().getPort(), "", "", "kiln@example.com", false);
    MetricRegistry metrics = new MetricRegistry();
    scheduler =
        new Scheduler(
            jdbi,
            clients.redisson(),
            store,
            SchedulerSettings.defaults("mail-it-" + UUID.randomUUID()),
            Clock.systemUTC(),
            metrics);
    notifier =
        new Notifier(
            jdbi,
            scheduler.leadership(),
            scheduler.workSignals(),
            NotifyIT.settings(Optional.of(smtp)),
            Pricing.DEFAULT,
            NotifyIT.TICK,
            Clock.systemUTC(),
            metrics);
    scheduler.start();
    notifier.start();
    agent =
        new TestAgent(
                "mail-agent",
                scheduler.queue(),
                store,
                4,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                lease -> {})
            .start();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.leadership().isLeader());
  }

  @AfterEach
  void stop() {
    agent.close();
    notifier.close();
    scheduler.close();
    mail.stop();
  }

  @Test
  void succeededAndFailedJobsAreMailedWithAWorkingUnsubscribeLink() throws Exception {
    UUID owner = fixtures.account();
    UUID succeeded =
        fixtures.submit(
            owner, TestAgent.PROCESSOR, "{}", 0, List.of(fixtures.upload(owner, "a.txt", "a\n")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(succeeded).state() == JobState.SUCCEEDED);
    UUID failed = failedJob(owner, "the model file is not a SavedModel");

    assertThat(mail.waitForIncomingEmail(15_000, 2)).isTrue();
    MimeMessage[] messages = mail.getReceivedMessages();
    assertThat(messages).hasSize(2);
    MimeMessage success = find(messages, "succeeded");
    MimeMessage failure = find(messages, "failed");
    assertThat(success.getAllRecipients()[0].toString()).isEqualTo(owner + "@example.com");
    assertThat(success.getSubject()).contains(succeeded.toString().substring(0, 8));
    assertThat(text(failure, "text/plain"))
        .contains(failed.toString())
        .contains("the model file is not a SavedModel");
    assertThat(text(failure, "text/html")).contains("<a href=").contains("Turn them off");
    assertThat(failure.getHeader("List-Unsubscribe")[0]).contains("/api/v1/notifications/");

    String token = unsubscribeToken(text(failure, "text/plain"));
    UnsubscribeToken parsed = UnsubscribeToken.verify(KEY, token).orElseThrow();
    assertThat(parsed).isEqualTo(new UnsubscribeToken(owner, NotificationKind.JOB_FAILED));

    // What the link does (the API's side is tested there): failures are no longer mailed.
    NotificationDao notifications = jdbi.onDemand(NotificationDao.class);
    notifications.savePreferences(owner, true, false, true, true);
    failedJob(owner, "again");
    UUID third =
        fixtures.submit(
            owner, TestAgent.PROCESSOR, "{}", 0, List.of(fixtures.upload(owner, "b.txt", "b\n")));
    assertThat(mail.waitForIncomingEmail(15_000, 3)).isTrue();
    Thread.sleep(500);
    assertThat(mail.getReceivedMessages()).hasSize(3);
    assertThat(mail.getReceivedMessages()[2].getSubject()).contains("succeeded");
    assertThat(fixtures.job(third).state()).isEqualTo(JobState.SUCCEEDED);

    List<NotificationRow> inApp = notifications.page(owner, false, null, null, 10);
    assertThat(inApp)
        .extracting(NotificationRow::kind)
        .containsExactly(
            NotificationKind.JOB_SUCCEEDED,
            NotificationKind.JOB_FAILED,
            NotificationKind.JOB_FAILED,
            NotificationKind.JOB_SUCCEEDED);
  }

  @Test
  void eachBudgetThresholdIsToldOncePerMonth() throws Exception {
    UUID owner = fixtures.account();
    jdbi.useHandle(
        handle ->
            handle.execute(
                "update accounts set monthly_budget_usd = ? where id = ?",
                new BigDecimal("1.00"),
                owner));
    jdbi.onDemand(NotificationDao.class).savePreferences(owner, false, true, true, true);
    // 0.526 USD an agent-hour: 1.6 hours is 84 % of the budget, 2.6 hours 137 %.
    spend(owner, 1.6 * 3600);
    await().atMost(Duration.ofSeconds(15)).until(() -> mail.getReceivedMessages().length == 1);
    spend(owner, 1.0 * 3600);
    await().atMost(Duration.ofSeconds(15)).until(() -> mail.getReceivedMessages().length == 2);
    spend(owner, 1.0 * 3600);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                jdbi.onDemand(NotificationDao.class).page(owner, false, null, null, 10).size()
                    == 5);
    Thread.sleep(500);

    assertThat(Arrays.stream(mail.getReceivedMessages()).map(NotifyMailIT::subject))
        .containsExactly(
            "[Kiln] 80 % of the monthly budget spent", "[Kiln] Monthly budget reached");
    assertThat(jdbi.onDemand(NotificationDao.class).page(owner, false, null, null, 10))
        .extracting(NotificationRow::kind)
        .containsExactlyInAnyOrder(
            NotificationKind.JOB_SUCCEEDED,
            NotificationKind.JOB_SUCCEEDED,
            NotificationKind.JOB_SUCCEEDED,
            NotificationKind.BUDGET_EXCEEDED,
            NotificationKind.BUDGET_WARNING);
  }

  /** A job of the owner that spent agent time and ended, with its event. */
  private void spend(UUID owner, double agentSeconds) {
    Instant now = Instant.now();
    SpendRows.finishedShard(stack.dataSource(), owner, agentSeconds, now, now);
    jdbi.onDemand(OutboxDao.class)
        .append(UUID.randomUUID(), owner, OutboxEventType.SUCCEEDED, "{}", now);
  }

  private UUID failedJob(UUID owner, String reason) {
    UUID job =
        fixtures.submit(owner, "doomed", "{}", 0, List.of(fixtures.upload(owner, "in.txt", "x\n")));
    List<Lease> leases = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                leases.addAll(
                    scheduler.queue().lease("x", Set.of("doomed"), 1, Duration.ofSeconds(30))));
    scheduler.queue().fail(leases.get(0).ref(), reason, false);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fixtures.job(job).state() == JobState.FAILED);
    return job;
  }

  private static MimeMessage find(MimeMessage[] messages, String word) {
    return Arrays.stream(messages)
        .filter(message -> subject(message).contains(word))
        .findFirst()
        .orElseThrow();
  }

  private static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String text(MimeMessage message, String type) throws Exception {
    MimeMultipart parts = (MimeMultipart) message.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      if (part.isMimeType(type)) {
        return (String) part.getContent();
      }
    }
    throw new AssertionError("no " + type + " part");
  }

  private static String unsubscribeToken(String text) {
    Matcher matcher = Pattern.compile("unsubscribe\\?token=(\\S+)").matcher(text);
    assertThat(matcher.find()).isTrue();
    return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
  }
}
