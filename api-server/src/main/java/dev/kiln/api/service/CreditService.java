package dev.kiln.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.db.AuditDao;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.payments.LocalPayments;
import dev.kiln.api.payments.PaymentProvider;
import dev.kiln.client.api.CheckoutView;
import dev.kiln.client.api.CreditAmountRequest;
import dev.kiln.client.api.CreditBalanceView;
import dev.kiln.client.api.CreditStatementView;
import dev.kiln.db.JobDao;
import dev.kiln.db.JobParamsJson;
import dev.kiln.db.ShardDao;
import dev.kiln.db.credits.InsufficientCreditsException;
import dev.kiln.db.credits.Ledger;
import dev.kiln.db.credits.Statements;
import dev.kiln.model.JobParams;
import dev.kiln.model.credits.CreditEstimate;
import dev.kiln.model.credits.StripeSignature;
import dev.kiln.model.plan.ShardPlanner;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepaid credits: balances, monthly statements, admin grants, checkouts and the payment provider's
 * confirmations, and the reservation a submission makes. Thread-safe.
 */
public final class CreditService {
  private static final Logger LOG = LoggerFactory.getLogger(CreditService.class);

  private final Jdbi jdbi;
  private final boolean required;
  private final CreditEstimate estimate;
  private final Optional<PaymentProvider> provider;
  private final ObjectMapper json;
  private final Clock clock;

  public CreditService(
      Jdbi jdbi,
      boolean required,
      CreditEstimate estimate,
      Optional<PaymentProvider> provider,
      ObjectMapper json,
      Clock clock) {
    this.jdbi = jdbi;
    this.required = required;
    this.estimate = estimate;
    this.provider = provider;
    this.json = json;
    this.clock = clock;
  }

  public CreditBalanceView balance(UUID ownerId) {
    Ledger.Balance balance = jdbi.withHandle(handle -> Ledger.balance(handle, ownerId));
    return new CreditBalanceView(
        balance.available(), balance.reserved(), required, provider.isPresent());
  }

  /** The owner's statement of {@code month} ({@code YYYY-MM}, UTC; null: this month). */
  public CreditStatementView statement(UUID ownerId, String month) {
    YearMonth period = month(month);
    Instant from = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Instant until = period.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    Statements.Statement statement =
        jdbi.withHandle(handle -> Statements.of(handle, ownerId, from, until));
    return new CreditStatementView(
        period.toString(),
        statement.openingAvailable(),
        statement.closingAvailable(),
        statement.lines().stream()
            .map(
                line ->
                    new CreditStatementView.Line(
                        line.at(),
                        line.kind().wireName(),
                        line.jobId(),
                        line.memo(),
                        line.availableChange(),
                        line.reservedChange(),
                        line.availableAfter()))
            .toList());
  }

  /** The same statement as CSV, one line per movement after a header. */
  public String statementCsv(UUID ownerId, String month) {
    CreditStatementView statement = statement(ownerId, month);
    StringBuilder csv =
        new StringBuilder(
            "at,kind,job,memo,available_change_usd,reserved_change_usd,available_usd\n");
    csv.append(statement.month())
        .append("-01T00:00:00Z,opening,,,,,")
        .append(statement.openingUsd().toPlainString())
        .append('\n');
    for (CreditStatementView.Line line : statement.lines()) {
      csv.append(line.at())
          .append(',')
          .append(line.kind())
          .append(',')
          .append(line.jobId() == null ? "" : line.jobId())
          .append(',')
          .append(quoted(line.memo()))
          .append(',')
          .append(line.availableChangeUsd().toPlainString())
          .append(',')
          .append(line.reservedChangeUsd().toPlainString())
          .append(',')
          .append(line.availableAfterUsd().toPlainString())
          .append('\n');
    }
    return csv.toString();
  }

  /** Grants credits to an account (admins only; audited). */
  public CreditBalanceView grant(KilnPrincipal admin, UUID accountId, CreditAmountRequest request) {
    jdbi.useTransaction(
        handle -> {
          boolean exists =
              handle
                      .createQuery("select count(*) from accounts where id = :id")
                      .bind("id", accountId)
                      .mapTo(Integer.class)
                      .one()
                  > 0;
          if (!exists) {
            throw ApiException.notFound("No account " + accountId + ".");
          }
          Instant now = clock.instant();
          Ledger.grant(
              handle,
              accountId,
              request.amountUsd(),
              request.memo().isEmpty() ? "granted by an admin" : request.memo(),
              now);
          handle
              .attach(AuditDao.class)
              .append(
                  admin.accountId(),
                  "account.credits",
                  "account",
                  accountId.toString(),
                  detail(
                      Map.of(
                          "amountUsd", request.amountUsd().toPlainString(),
                          "memo", request.memo())),
                  now);
        });
    return balance(accountId);
  }

  /** Opens a checkout to buy credits. */
  public CheckoutView checkout(UUID ownerId, CreditAmountRequest request) {
    PaymentProvider payments =
        provider.orElseThrow(
            () ->
                new ApiException(
                    409,
                    "payments-off",
                    "Credits cannot be bought here",
                    "This installation sells no credits (credits.provider is none); ask an admin"
                        + " to grant some."));
    try {
      PaymentProvider.Checkout checkout = payments.startCheckout(ownerId, request.amountUsd());
      return new CheckoutView(checkout.sessionId(), checkout.url());
    } catch (PaymentProvider.PaymentException e) {
      LOG.warn("Checkout for {} failed: {}", ownerId, e.getMessage());
      throw ApiException.unavailable(
          "The payment provider cannot open a checkout now (" + e.getMessage() + "); try again.");
    }
  }

  /**
   * Credits what the provider's signed notification confirms; a payment already credited (a replay)
   * credits nothing. Answers whether credits were added.
   */
  public boolean confirm(String signatureHeader, String body) {
    PaymentProvider payments =
        provider.orElseThrow(() -> ApiException.notFound("No payment provider is configured."));
    Optional<PaymentProvider.Payment> payment;
    try {
      payment = payments.confirmedPayment(signatureHeader, body);
    } catch (StripeSignature.InvalidSignatureException e) {
      throw ApiException.badRequest("The payment notification is refused: " + e.getMessage() + ".");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("The payment notification is unreadable: " + e.getMessage());
    }
    if (payment.isEmpty()) {
      return false;
    }
    PaymentProvider.Payment paid = payment.get();
    boolean credited =
        jdbi.inTransaction(
            handle ->
                Ledger.purchase(
                    handle, paid.accountId(), paid.amountUsd(), paid.reference(), clock.instant()));
    LOG.info(
        "Payment {} of {} USD for {}: {}",
        paid.reference(),
        paid.amountUsd(),
        paid.accountId(),
        credited ? "credited" : "already credited");
    return credited;
  }

  /** The local fake provider, when that is the one configured. */
  public Optional<LocalPayments> localPayments() {
    return provider.filter(LocalPayments.class::isInstance).map(LocalPayments.class::cast);
  }

  /**
   * Reserves a new job's estimated cost in the submission's transaction, when credits are required.
   *
   * @throws ApiException 402 when the owner's available credits do not cover it
   */
  public void reserve(
      Handle handle, UUID ownerId, UUID jobId, List<Long> inputSizes, long shardBytes) {
    if (!required) {
      return;
    }
    BigDecimal amount = estimate.reserveUsd(inputSizes, shardBytes);
    try {
      Ledger.reserve(handle, ownerId, jobId, amount, clock.instant());
    } catch (InsufficientCreditsException e) {
      throw new InsufficientCredits(amount);
    }
  }

  /**
   * Reserves what a retry of the reopened job runs again, in the transaction that reopened it, when
   * credits are required: its shards not done, or its inputs as the plan will cut them when it was
   * never planned.
   *
   * @throws InsufficientCredits when the owner's available credits do not cover it
   */
  public void reserveRetry(Handle handle, UUID ownerId, UUID jobId) {
    if (!required) {
      return;
    }
    int shards = handle.attach(ShardDao.class).countNotDone(jobId);
    BigDecimal amount =
        shards > 0
            ? estimate.reserveUsd(shards)
            : estimate.reserveUsd(
                handle.attach(JobDao.class).inputSizes(jobId),
                estimatedShardBytes(
                    JobParamsJson.read(handle.attach(JobDao.class).paramsJson(jobId))));
    try {
      Ledger.reserveRetry(handle, ownerId, jobId, amount, clock.instant());
    } catch (InsufficientCreditsException e) {
      throw new InsufficientCredits(amount);
    }
  }

  /** The shard size a job's plan will use, for its estimate: one shard per file with split=none. */
  static long estimatedShardBytes(JobParams params) {
    if (params == null) {
      return ShardPlanner.DEFAULT_SHARD_BYTES;
    }
    if ("none".equals(params.split())) {
      return Long.MAX_VALUE;
    }
    return params.shardBytes() == null ? ShardPlanner.DEFAULT_SHARD_BYTES : params.shardBytes();
  }

  /**
   * The 402 to send when a submission or a retry was refused for want of credits: the detail says
   * what to do ({@code then}, such as "submit again"), the members {@code neededUsd}, {@code
   * availableUsd} and {@code reservedUsd} carry the figures.
   */
  public ApiException refusal(UUID ownerId, InsufficientCredits refused, String then) {
    Ledger.Balance balance = jdbi.withHandle(handle -> Ledger.balance(handle, ownerId));
    return new ApiException(
        402,
        "credits-insufficient",
        "Not enough credits",
        "This job needs about "
            + usd(refused.needed())
            + " USD of credits to start; your account has "
            + usd(balance.available())
            + " USD available ("
            + usd(balance.reserved())
            + " USD held by running jobs). "
            + (provider.isPresent()
                ? "Buy credits (on the Credits page, or POST /api/v1/credits/checkout)"
                : "Ask an admin to grant credits")
            + ", then "
            + then
            + ".",
        Map.of(),
        Map.of(
            "neededUsd", refused.needed(),
            "availableUsd", balance.available(),
            "reservedUsd", balance.reserved(),
            "canBuy", provider.isPresent()));
  }

  private static String usd(BigDecimal amount) {
    return amount.setScale(2, java.math.RoundingMode.UP).toPlainString();
  }

  private YearMonth month(String month) {
    if (month == null || month.isBlank()) {
      return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    }
    try {
      return YearMonth.parse(month.strip());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("'month' must be a month such as 2026-03.");
    }
  }

  private static String quoted(String text) {
    String safe = text == null ? "" : text;
    if (!safe.isEmpty() && "=+-@".indexOf(safe.charAt(0)) >= 0) {
      safe = "'" + safe;
    }
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }

  private String detail(Map<String, String> detail) {
    try {
      return json.writeValueAsString(detail);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit detail always serialises", e);
    }
  }

  /** A submission's reservation was refused; the submission's transaction rolls back. */
  public static final class InsufficientCredits extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final BigDecimal needed;

    InsufficientCredits(BigDecimal needed) {
      super("credits do not cover " + needed + " USD");
      this.needed = needed;
    }

    public BigDecimal needed() {
      return needed;
    }
  }
}
