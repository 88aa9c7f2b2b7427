package dev.kiln.api.credits;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.api.ApiHarness;
import dev.kiln.api.ApiHarness.Answer;
import dev.kiln.api.Fixtures;
import dev.kiln.model.JobState;
import dev.kiln.model.credits.StripeSignature;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import io.dropwizard.testing.ConfigOverride;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Prepaid credits through the API with credits required: reservations refused with a clear 402,
 * admin grants, concurrent submissions that never overdraw, statements, and Stripe Checkout against
 * a recorded Stripe answer, its signed webhook and replays of it.
 */
@ExtendWith(KilnStackExtension.class)
class CreditsIT {
  /** One shard of an hour at the default price: 0.526 USD per job of one small file. */
  private static final String WEBHOOK_SECRET = "whsec_test_credits";

  private static ApiHarness api;
  private static Fixtures fixtures;
  private static String admin;
  private static HttpServer stripe;
  private static final AtomicReference<String> checkoutForm = new AtomicReference<>();

  @BeforeAll
  static void start(TestStack stack) throws Exception {
    stripe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stripe.createContext(
        "/v1/checkout/sessions",
        exchange -> {
          checkoutForm.set(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] answer =
              CreditsIT.class
                  .getResourceAsStream("/stripe/checkout-session-created.json")
                  .readAllBytes();
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    stripe.start();
    api =
        ApiHarness.start(
            stack,
            ConfigOverride.config("credits.required", "true"),
            ConfigOverride.config("credits.secondsPerShard", "3600"),
            ConfigOverride.config("credits.provider", "stripe"),
            ConfigOverride.config(
                "credits.stripeApiBase", "http://127.0.0.1:" + stripe.getAddress().getPort()),
            ConfigOverride.config("credits.stripeSecretKey", "sk_test_kiln"),
            ConfigOverride.config("credits.stripeWebhookSecret", WEBHOOK_SECRET));
    fixtures = new Fixtures(api);
    admin = fixtures.makeAdmin("credits-admin-" + UUID.randomUUID() + "@example.com");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (stripe != null) {
      stripe.stop(0);
    }
  }

  private static Answer submit(String token, String file) {
    return api.post("/api/v1/jobs", token, Map.of("processor", "parse", "inputs", List.of(file)));
  }

  private static Answer grant(String token, String amount) {
    UUID account = fixtures.accountId(token);
    return api.post(
        "/api/v1/admin/accounts/" + account + "/credits",
        admin,
        Map.of("amountUsd", new BigDecimal(amount), "memo", "trial"));
  }

  @Test
  void aSubmissionTheCreditsDoNotCoverIsRefusedWithWhatToDo() {
    String user = api.newUser();
    Answer refused = submit(user, fixtures.readyFile(user));

    assertThat(refused.status()).isEqualTo(402);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.text("detail"))
        .contains("needs about 0.53 USD")
        .contains("0.00 USD available")
        .contains("Buy credits (on the Credits page, or POST /api/v1/credits/checkout)");
    assertThat(refused.body().get("neededUsd").decimalValue()).isEqualByComparingTo("0.526");
    assertThat(refused.body().get("availableUsd").decimalValue()).isEqualByComparingTo("0");
    assertThat(refused.body().get("reservedUsd").decimalValue()).isEqualByComparingTo("0");
    assertThat(refused.body().get("canBuy").asBoolean()).isTrue();
    assertThat(refused.body().get("status").asInt()).isEqualTo(402);
    assertThat(refused.text("type")).endsWith("/credits-insufficient");
    assertThat(api.get("/api/v1/jobs", user).body().get("items")).isEmpty();
  }

  @Test
  void aRetryHoldsCreditsForWhatItRunsAgainOrIsRefusedWithWhatToDo() throws Exception {
    String user = api.newUser();
    assertThat(grant(user, "0.60").status()).isEqualTo(200);
    String jobId = submit(user, fixtures.readyFile(user)).text("id");
    assertThat(api.post("/api/v1/jobs/" + jobId + "/cancel", user, null).status()).isEqualTo(200);

    Answer refused = api.post("/api/v1/jobs/" + jobId + "/retry", user, null);
    assertThat(refused.status()).isEqualTo(402);
    assertThat(refused.text("type")).endsWith("/credits-insufficient");
    assertThat(refused.text("detail")).contains("needs about 0.53 USD").endsWith("retry it.");
    assertThat(refused.body().get("neededUsd").decimalValue()).isEqualByComparingTo("0.526");
    assertThat(api.get("/api/v1/jobs/" + jobId, user).text("state"))
        .isEqualTo(JobState.CANCELLED.name());

    assertThat(grant(user, "1.00").status()).isEqualTo(200);
    Answer retried = api.post("/api/v1/jobs/" + jobId + "/retry", user, null);
    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.text("state")).isEqualTo(JobState.SUBMITTED.name());
    Answer balance = api.get("/api/v1/credits", user);
    assertThat(balance.body().get("reservedUsd").decimalValue()).isEqualByComparingTo("1.052");
    assertThat(balance.body().get("availableUsd").decimalValue()).isEqualByComparingTo("0.548");
    assertLedgerBalances();
  }

  @Test
  void anOperatorsRequeueHoldsTheOwnersCreditsOrLeavesTheJobFailedSayingWhy() throws Exception {
    String user = api.newUser();
    assertThat(grant(user, "0.60").status()).isEqualTo(200);
    UUID job = fixtures.deadLetterJob(user, "parse");

    Answer one = api.post("/api/v1/admin/dead-letters/" + job + "/0/requeue", admin, null);
    assertThat(one.status()).isEqualTo(402);
    assertThat(one.text("detail")).contains("about 1.06 USD").contains("grant them credits");
    Answer all = api.post("/api/v1/admin/dead-letters/requeue", admin, Map.of("jobId", job));
    assertThat(all.status()).isEqualTo(202);
    assertThat(all.body().get("jobs").asInt()).isZero();
    assertThat(all.body().get("unpaid").get(0).asText()).isEqualTo(job.toString());
    assertThat(api.get("/api/v1/jobs/" + job, user).text("state"))
        .isEqualTo(JobState.FAILED.name());

    assertThat(grant(user, "1.00").status()).isEqualTo(200);
    Answer paid = api.post("/api/v1/admin/dead-letters/requeue", admin, Map.of("jobId", job));
    assertThat(paid.body().get("jobs").asInt()).isEqualTo(1);
    assertThat(paid.body().get("unpaid")).isEmpty();
    assertThat(api.get("/api/v1/credits", user).body().get("reservedUsd").decimalValue())
        .as("the submission's hold and the two shards run again")
        .isEqualByComparingTo("1.578");
    assertLedgerBalances();
  }

  @Test
  void concurrentSubmissionsReserveNoMoreThanTheCreditsAndTheLedgerBalances() throws Exception {
    String user = api.newUser();
    assertThat(grant(user, "2.00").status()).isEqualTo(200);
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      files.add(fixtures.readyFile(user));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> answers = new ArrayList<>();
    for (String file : files) {
      Callable<Integer> call = () -> submit(user, file).status();
      answers.add(pool.submit(call));
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      statuses.add(answer.get());
    }
    pool.shutdown();

    assertThat(statuses).filteredOn(s -> s == 202).hasSize(3);
    assertThat(statuses).filteredOn(s -> s == 402).hasSize(5);
    Answer balance = api.get("/api/v1/credits", user);
    assertThat(balance.body().get("availableUsd").decimalValue()).isEqualByComparingTo("0.422");
    assertThat(balance.body().get("reservedUsd").decimalValue()).isEqualByComparingTo("1.578");
    assertThat(balance.body().get("required").asBoolean()).isTrue();
    assertThat(balance.body().get("canBuy").asBoolean()).isTrue();
    assertLedgerBalances();
  }

  @Test
  void theConsolesAccountListingShowsEachAccountsCredits() {
    String user = api.newUser();
    String file = fixtures.readyFile(user);
    assertThat(grant(user, "3.00").status()).isEqualTo(200);
    assertThat(submit(user, file).status()).isEqualTo(202);

    Answer byEmail =
        api.get(
            "/api/v1/admin/accounts?q="
                + api.get("/api/v1/account", user).text("email").replace("@", "%40"),
            admin);

    assertThat(byEmail.status()).isEqualTo(200);
    assertThat(byEmail.body().get("items")).hasSize(1);
    assertThat(byEmail.body().at("/items/0/creditsAvailableUsd").decimalValue())
        .isEqualByComparingTo("2.474");
    assertThat(byEmail.body().at("/items/0/creditsReservedUsd").decimalValue())
        .isEqualByComparingTo("0.526");
  }

  @Test
  void theStatementListsEveryMovementInJsonAndCsv() {
    String user = api.newUser();
    grant(user, "5.00");
    String job = submit(user, fixtures.readyFile(user)).text("id");

    Answer statement = api.get("/api/v1/credits/statement", user);
    assertThat(statement.status()).isEqualTo(200);
    assertThat(statement.body().get("openingUsd").decimalValue()).isEqualByComparingTo("0");
    assertThat(statement.body().get("closingUsd").decimalValue()).isEqualByComparingTo("4.474");
    assertThat(statement.body().get("lines")).hasSize(2);
    assertThat(statement.body().get("lines").get(1).get("kind").asText()).isEqualTo("reserve");
    assertThat(statement.body().get("lines").get(1).get("jobId").asText()).isEqualTo(job);

    Answer csv = api.get("/api/v1/credits/statement.csv", user);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.raw().body())
        .startsWith("at,kind,job,memo,available_change_usd,reserved_change_usd,available_usd\n")
        .contains(",grant,,\"trial\",5.000000,0,5.000000\n")
        .contains(",reserve," + job + ",");
    assertThat(api.get("/api/v1/credits/statement?month=March", user).status()).isEqualTo(400);
  }

  @Test
  void stripeCheckoutOpensAPaymentPageAndItsSignedWebhookCreditsOnce() throws Exception {
    String user = api.newUser();
    UUID account = fixtures.accountId(user);
    Answer checkout =
        api.post("/api/v1/credits/checkout", user, Map.of("amountUsd", new BigDecimal("20")));
    assertThat(checkout.status()).isEqualTo(200);
    assertThat(checkout.text("url")).startsWith("https://checkout.stripe.com/");
    assertThat(checkoutForm.get())
        .contains("client_reference_id=" + account)
        .contains("unit_amount%5D=2000")
        .contains("mode=payment");

    String event =
        new String(
                CreditsIT.class
                    .getResourceAsStream("/stripe/checkout-session-completed.json")
                    .readAllBytes(),
                StandardCharsets.UTF_8)
            .replace("ACCOUNT_ID", account.toString())
            .replace("SESSION_ID", "cs_test_" + UUID.randomUUID().toString().replace("-", ""));
    long now = Instant.now().getEpochSecond();
    String signed = StripeSignature.header(WEBHOOK_SECRET, now, event);

    assertThat(webhook(event, signed).status()).isEqualTo(204);
    assertThat(webhook(event, signed).status()).as("a replay").isEqualTo(204);
    assertThat(api.get("/api/v1/credits", user).body().get("availableUsd").decimalValue())
        .isEqualByComparingTo("20");

    Answer forged = webhook(event, StripeSignature.header("whsec_other", now, event));
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.text("detail")).contains("no signature matches");
    Answer stale = webhook(event, StripeSignature.header(WEBHOOK_SECRET, now - 3600, event));
    assertThat(stale.status()).isEqualTo(400);
    assertThat(stale.text("detail")).contains("old");
    assertThat(webhook(event, null).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/credits", user).body().get("availableUsd").decimalValue())
        .isEqualByComparingTo("20");
  }

  private static Answer webhook(String body, String signature) {
    return signature == null
        ? api.call("POST", "/api/v1/payments/stripe/webhook", null, body)
        : api.call(
            "POST",
            "/api/v1/payments/stripe/webhook",
            null,
            body,
            Map.of(StripeSignature.HEADER, signature));
  }

  /** Every transaction sums to zero, all entries sum to zero, no account book is below zero. */
  private static void assertLedgerBalances() throws Exception {
    try (Connection connection = api.stack().dataSource().getConnection()) {
      try (ResultSet rows =
          connection
              .createStatement()
              .executeQuery(
                  "select count(*) from (select transaction_id from ledger_entries"
                      + " group by transaction_id having sum(amount) <> 0) unbalanced")) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
      try (ResultSet rows =
          connection
              .createStatement()
              .executeQuery(
                  "select coalesce(sum(amount), 0), (select count(*) from ledger_books"
                      + " where account_id is not null and balance < 0),"
                      + " (select coalesce(sum(balance), 0) from ledger_books)"
                      + " from ledger_entries")) {
        rows.next();
        assertThat(rows.getBigDecimal(1)).isEqualByComparingTo("0");
        assertThat(rows.getInt(2)).isZero();
        assertThat(rows.getBigDecimal(3)).isEqualByComparingTo("0");
      }
    }
  }
}
