package dev.kiln.api;

import com.codahale.metrics.Gauge;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kiln.api.auth.AccountStates;
import dev.kiln.api.auth.ApiKeys;
import dev.kiln.api.auth.BearerAuthFilter;
import dev.kiln.api.auth.FirstAdmin;
import dev.kiln.api.auth.KilnAuthenticator;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.auth.LoginBackoff;
import dev.kiln.api.auth.LoginThrottle;
import dev.kiln.api.auth.PasswordHasher;
import dev.kiln.api.auth.PasswordPolicy;
import dev.kiln.api.auth.ProblemUnauthorizedHandler;
import dev.kiln.api.auth.RefreshSessions;
import dev.kiln.api.auth.RoleAuthorizer;
import dev.kiln.api.auth.SignupThrottle;
import dev.kiln.api.auth.TokenService;
import dev.kiln.api.errors.ApiExceptionMapper;
import dev.kiln.api.errors.ConstraintViolationMapper;
import dev.kiln.api.errors.InvalidValueMapper;
import dev.kiln.api.errors.JsonExceptionMapper;
import dev.kiln.api.errors.ProblemErrorHandler;
import dev.kiln.api.errors.UnexpectedExceptionMapper;
import dev.kiln.api.errors.WebApplicationExceptionMapper;
import dev.kiln.api.resources.AccountResource;
import dev.kiln.api.resources.AdminResource;
import dev.kiln.api.resources.AuthResource;
import dev.kiln.api.resources.BodyLimitFilter;
import dev.kiln.api.resources.ClientAddressFilter;
import dev.kiln.api.resources.CorsFilter;
import dev.kiln.api.resources.CreditResource;
import dev.kiln.api.resources.FileResource;
import dev.kiln.api.resources.HealthResource;
import dev.kiln.api.resources.JobEventStream;
import dev.kiln.api.resources.JobResource;
import dev.kiln.api.resources.LogContextFilter;
import dev.kiln.api.resources.NotificationPreferenceResource;
import dev.kiln.api.resources.NotificationResource;
import dev.kiln.api.resources.OpenApiResource;
import dev.kiln.api.resources.OperationsResource;
import dev.kiln.api.resources.PaymentResource;
import dev.kiln.api.resources.RedactedRequestLog;
import dev.kiln.api.resources.RedactedRequestLogFactory;
import dev.kiln.api.resources.RefusedAdminCallFilter;
import dev.kiln.api.resources.RequestIdFilter;
import dev.kiln.api.resources.SecurityHeadersFilter;
import dev.kiln.api.resources.TracingFilter;
import dev.kiln.api.resources.TrustedProxies;
import dev.kiln.api.resources.UnsubscribeResource;
import dev.kiln.api.resources.WebUiServlet;
import dev.kiln.api.resources.WebhookResource;
import dev.kiln.api.resources.WhoAmIResource;
import dev.kiln.api.service.AccountService;
import dev.kiln.api.service.AdminService;
import dev.kiln.api.service.AuditTrail;
import dev.kiln.api.service.CreditService;
import dev.kiln.api.service.DeadLetterService;
import dev.kiln.api.service.EventStreamSlots;
import dev.kiln.api.service.FileService;
import dev.kiln.api.service.FleetService;
import dev.kiln.api.service.JobCosts;
import dev.kiln.api.service.JobErrors;
import dev.kiln.api.service.JobReadCache;
import dev.kiln.api.service.JobService;
import dev.kiln.api.service.NotificationService;
import dev.kiln.api.service.OperationsService;
import dev.kiln.api.service.ReleaseHistory;
import dev.kiln.api.service.WebhookService;
import dev.kiln.db.JobReadBatcher;
import dev.kiln.db.spend.BudgetCheck;
import dev.kiln.dropwizard.DatabaseFactory;
import dev.kiln.dropwizard.PrometheusEndpoint;
import dev.kiln.dropwizard.RouteLatency;
import dev.kiln.model.credits.CreditEstimate;
import dev.kiln.model.notify.NotificationSettings;
import dev.kiln.protocol.storage.ObjectStore;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.setup.JerseyEnvironment;
import io.dropwizard.request.logging.LogbackAccessRequestLogAwareHandler;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import io.dropwizard.request.logging.RequestLogFactory;
import jakarta.servlet.DispatcherType;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;
import org.jdbi.v3.core.Jdbi;
import org.redisson.api.RedissonClient;

/** The Kiln API server: accounts, authentication, uploads and jobs under {@code /api/v1}. */
public class KilnApiApplication extends Application<KilnApiConfiguration> {
  /** Jobs a process keeps between changes; a job with its inputs takes about a kilobyte. */
  private static final int JOB_READ_CACHE_SIZE = 10_000;

  private static final int JOB_READ_BATCH_SIZE = 64;

  /** Gauge: job reads run against the database so far. */
  public static final String JOB_READS_FROM_DATABASE = "kiln.jobs.reads.database";

  /** Gauge: event streams open in this process. */
  public static final String EVENT_STREAMS_OPEN = "kiln.events.streams.open";

  /** Gauge: job reads from the database answered so far (several share one database read). */
  public static final String JOB_READS_ANSWERED = "kiln.jobs.reads.answered";

  private final Clock clock;

  public KilnApiApplication() {
    this(Clock.systemUTC());
  }

  public KilnApiApplication(Clock clock) {
    this.clock = clock;
  }

  public static void main(String[] args) throws Exception {
    new KilnApiApplication().run(args);
  }

  @Override
  public String getName() {
    return "kiln-api";
  }

  @Override
  public void initialize(Bootstrap<KilnApiConfiguration> bootstrap) {
    // ${KILN_...} in the YAML come from the environment; an undefined one without a default fails.
    bootstrap.setConfigurationSourceProvider(
        new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(true)));
    configure(bootstrap.getObjectMapper());
    bootstrap.addCommand(new CreateAdminCommand());
  }

  /** Strict reading (unknown fields are errors) and ISO-8601 dates. */
  public static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  @Override
  public void run(KilnApiConfiguration config, Environment environment) {
    ObjectMapper json = configure(environment.getObjectMapper());
    answerErrorsAsProblems(config, environment);
    redactRequestLog(config, environment);
    DatabaseFactory.Database database =
        DatabaseFactory.build(config.getDatabase(), environment, "postgres");
    RedissonClient redis = config.getRedis().build(environment);
    ObjectStore store = config.getS3().build(environment);

    Authentication auth = authentication(config.getAuth(), database.jdbi(), redis, environment);
    Services services = services(config, environment, database, redis, store, auth, json);

    JerseyEnvironment jersey = environment.jersey();
    jersey.register(new RouteLatency(PrometheusEndpoint.install(environment).registry()));
    jersey.register(new TracingFilter(config.getTracing().build(environment, getName())));
    registerErrorMappers(jersey);
    jersey.register(new BodyLimitFilter(config.getHttp().getMaxRequestBody().toBytes()));
    registerAuth(jersey, auth);
    registerResources(
        environment, services, auth, eventStream(config, redis, services, auth, json, environment));
    registerWebUi(environment, config.getHttp());
  }

  /** What authenticates requests and logins, built once and shared by the resources. */
  private record Authentication(
      PasswordHasher hasher,
      TokenService tokens,
      ApiKeys apiKeys,
      AccountStates accountStates,
      LoginThrottle throttle,
      SignupThrottle signups,
      KilnAuthenticator authenticator,
      RefreshSessions sessions) {}

  /** The services the resources call. */
  private record Services(
      AccountService accounts,
      FileService files,
      JobService jobs,
      JobErrors jobErrors,
      JobCosts jobCosts,
      CreditService credits,
      AdminService admin,
      OperationsService operations,
      DeadLetterService deadLetters,
      WebhookService webhooks,
      NotificationService notifications,
      BudgetCheck budgets) {}

  /**
   * Serves the API under {@code /api} and answers every error, Jersey's and Jetty's included, as a
   * problem body instead of Dropwizard's default ones.
   */
  private static void answerErrorsAsProblems(KilnApiConfiguration config, Environment environment) {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.setRegisterDefaultExceptionMappers(false);
    }
    environment.jersey().setUrlPattern("/api/*");
    Map<String, String> headers = SecurityHeadersFilter.headers(config.getHttp().isHsts());
    environment.getApplicationContext().setErrorHandler(new ProblemErrorHandler(headers));
    environment
        .lifecycle()
        .addServerLifecycleListener(
            server -> server.setErrorHandler(new ProblemErrorHandler(headers)));
  }

  /**
   * Puts the configured request log behind {@link RedactedRequestLog}, so query-string tokens and
   * Authorization headers never reach it. Dropwizard hands its own request log the servlet request
   * through a handler it adds only for that log, so the handler is added here instead.
   */
  private static void redactRequestLog(KilnApiConfiguration config, Environment environment) {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      RequestLogFactory<?> configured = server.getRequestLogFactory();
      server.setRequestLogFactory(new RedactedRequestLogFactory(configured));
      if (configured instanceof LogbackAccessRequestLogFactory && configured.isEnabled()) {
        environment
            .getApplicationContext()
            .insertHandler(new LogbackAccessRequestLogAwareHandler());
      }
    }
  }

  private Authentication authentication(
      AuthSettings settings, Jdbi jdbi, RedissonClient redis, Environment environment) {
    PasswordHasher hasher = new PasswordHasher(settings.getBcryptCost());
    FirstAdmin.ensure(
        jdbi,
        settings.getBootstrapAdminEmail(),
        settings.getBootstrapAdminPassword(),
        hasher,
        clock);
    TokenService tokens =
        new TokenService(
            settings.getJwtKeys(), settings.getAccessTokenTtl().toJavaDuration(), clock);
    ApiKeys apiKeys = new ApiKeys(jdbi, clock);
    AccountStates accountStates =
        new AccountStates(jdbi, redis, settings.getAccountStateTtl().toJavaDuration());
    environment.lifecycle().manage(accountStates);
    Duration window = settings.getLoginFailureWindow().toJavaDuration();
    Duration firstBackoff = settings.getFirstLoginBackoff().toJavaDuration();
    Duration maxBackoff = settings.getMaxLoginBackoff().toJavaDuration();
    LoginThrottle throttle =
        new LoginThrottle(
            redis,
            new LoginBackoff(settings.getFreeLoginFailures(), firstBackoff, maxBackoff, window),
            new LoginBackoff(
                settings.getFreeLoginFailuresPerAddress(), firstBackoff, maxBackoff, window),
            clock);
    SignupThrottle signups =
        new SignupThrottle(
            redis, settings.getSignupsPerAddress(), settings.getSignupWindow().toJavaDuration());
    KilnAuthenticator authenticator = new KilnAuthenticator(tokens, apiKeys, accountStates, clock);
    RefreshSessions sessions =
        new RefreshSessions(jdbi, settings.getRefreshTokenTtl().toJavaDuration(), clock);
    return new Authentication(
        hasher, tokens, apiKeys, accountStates, throttle, signups, authenticator, sessions);
  }

  private Services services(
      KilnApiConfiguration config,
      Environment environment,
      DatabaseFactory.Database database,
      RedissonClient redis,
      ObjectStore store,
      Authentication auth,
      ObjectMapper json) {
    Jdbi jdbi = database.jdbi();
    AccountService accounts = accountService(config, jdbi, store, auth);
    FileService files = fileService(config.getFiles(), jdbi, store, accounts);
    JobSettings jobSettings = config.getJobs();
    JobReadCache jobReads = jobReadCache(jobSettings, database, redis, environment);
    CreditService credits =
        new CreditService(
            jdbi,
            config.getCredits().isRequired(),
            new CreditEstimate(
                config.getCredits().getSecondsPerShard(),
                config.getPricing().pricing().agentHourlyUsd()),
            config.getCredits().provider(json, clock),
            json,
            clock);
    JobService jobs =
        new JobService(
            database,
            jobReads,
            files,
            store,
            redis,
            new JobService.Processors(
                Set.copyOf(jobSettings.getProcessors()),
                Set.copyOf(jobSettings.getModelProcessors())),
            config.getPricing().pricing(),
            credits,
            json,
            clock);
    AuditTrail audit = new AuditTrail(jdbi, json, clock);
    FleetService fleet = new FleetService(redis, clock);
    AdminService admin =
        new AdminService(
            jdbi,
            jobs,
            accounts,
            fleet,
            new ReleaseHistory(store, config.getReleases().getOpsBucket()),
            audit,
            config.getPricing().pricing(),
            clock);
    OperationsService operations =
        new OperationsService(jdbi, redis, fleet, audit, config.getPricing().pricing(), clock);
    NotificationSettings notify = config.getNotifications().settings();
    WebhookService webhooks =
        new WebhookService(jdbi, notify.addressPolicy(), InetAddress::getAllByName, json, clock);
    NotificationService notifications =
        new NotificationService(jdbi, notify.unsubscribeKey(), clock);
    return new Services(
        accounts,
        files,
        jobs,
        new JobErrors(jdbi, store, jobs),
        new JobCosts(jdbi, jobs, config.getPricing().priceTable()),
        credits,
        admin,
        operations,
        new DeadLetterService(jdbi, jobs, audit, credits, clock),
        webhooks,
        notifications,
        new BudgetCheck(jdbi, config.getPricing().pricing(), clock));
  }

  private AccountService accountService(
      KilnApiConfiguration config, Jdbi jdbi, ObjectStore store, Authentication auth) {
    return new AccountService(
        jdbi,
        auth.hasher(),
        PasswordPolicy.shipped(),
        auth.tokens(),
        auth.throttle(),
        auth.signups(),
        store,
        config.getFiles().getQuotaPerAccount().toBytes(),
        config.getCredits().getSignupCreditsUsd(),
        auth.accountStates(),
        clock);
  }

  private FileService fileService(
      FileSettings fileSettings, Jdbi jdbi, ObjectStore store, AccountService accounts) {
    return new FileService(
        jdbi,
        store,
        new FileService.Limits(
            fileSettings.getMultipartThreshold().toBytes(),
            fileSettings.getPartSize().toBytes(),
            fileSettings.getMaxFileSize().toBytes(),
            fileSettings.getRetention().toJavaDuration(),
            fileSettings.getPresignTtl().toJavaDuration()),
        accounts::quotaOf,
        clock);
  }

  /** Job reads: batched against the database, counted in two gauges, kept for a short while. */
  private static JobReadCache jobReadCache(
      JobSettings jobSettings,
      DatabaseFactory.Database database,
      RedissonClient redis,
      Environment environment) {
    JobReadBatcher jobReadBatcher =
        new JobReadBatcher(
            database.dataSource(), jobSettings.getReadsInFlight(), JOB_READ_BATCH_SIZE);
    environment
        .metrics()
        .register(JOB_READS_FROM_DATABASE, (Gauge<Long>) () -> jobReadBatcher.counts().reads());
    environment
        .metrics()
        .register(JOB_READS_ANSWERED, (Gauge<Long>) () -> jobReadBatcher.counts().requests());
    JobReadCache jobReads =
        new JobReadCache(
            jobReadBatcher,
            redis,
            jobSettings.getReadCacheLifetime().toJavaDuration(),
            JOB_READ_CACHE_SIZE);
    environment.lifecycle().manage(jobReads);
    return jobReads;
  }

  private static void registerErrorMappers(JerseyEnvironment jersey) {
    jersey.register(new ApiExceptionMapper());
    jersey.register(new InvalidValueMapper());
    jersey.register(new WebApplicationExceptionMapper());
    jersey.register(new JsonExceptionMapper());
    jersey.register(new ConstraintViolationMapper());
    jersey.register(new UnexpectedExceptionMapper());
    jersey.register(new dev.kiln.api.errors.OutageExceptionMapper());
  }

  /** Bearer credentials (access tokens and API keys) on every resource, roles from the account. */
  private void registerAuth(JerseyEnvironment jersey, Authentication auth) {
    jersey.register(
        new AuthDynamicFeature(
            new BearerAuthFilter.Builder()
                .setAuthenticator(auth.authenticator())
                .setAuthorizer(new RoleAuthorizer())
                .setUnauthorizedHandler(new ProblemUnauthorizedHandler())
                .setRealm("kiln")
                .setPrefix("Bearer")
                .buildAuthFilter()));
    jersey.register(RolesAllowedDynamicFeature.class);
    jersey.register(new LogContextFilter());
    jersey.register(new AuthValueFactoryProvider.Binder<>(KilnPrincipal.class));
  }

  /** The jobs' event streams, pushed by a few shared threads as news arrives. */
  private JobEventStream eventStream(
      KilnApiConfiguration config,
      RedissonClient redis,
      Services services,
      Authentication auth,
      ObjectMapper json,
      Environment environment) {
    EventStreamSettings settings = config.getEvents();
    JobEventStream events =
        new JobEventStream(
            services.jobs(),
            new EventStreamSlots(redis, settings.getMaxStreamsPerAccount(), clock),
            auth.authenticator(),
            json,
            new JobEventStream.Timings(
                settings.getHeartbeatEvery().toJavaDuration(),
                settings.getMaxDuration().toJavaDuration(),
                settings.getCredentialCheckEvery().toJavaDuration()),
            settings.getThreads(),
            redis,
            clock);
    environment.lifecycle().manage(events);
    environment.metrics().register(EVENT_STREAMS_OPEN, (Gauge<Integer>) events::openStreams);
    return events;
  }

  private void registerResources(
      Environment environment, Services services, Authentication auth, JobEventStream events) {
    JerseyEnvironment jersey = environment.jersey();
    jersey.register(new AuthResource(services.accounts(), auth.sessions(), clock));
    jersey.register(
        new AccountResource(
            services.accounts(), auth.apiKeys(), auth.sessions(), services.budgets(), clock));
    jersey.register(new WhoAmIResource());
    jersey.register(new FileResource(services.files()));
    jersey.register(
        new JobResource(services.jobs(), events, services.jobErrors(), services.jobCosts()));
    jersey.register(new AdminResource(services.admin(), services.credits()));
    jersey.register(new OperationsResource(services.operations(), services.deadLetters()));
    jersey.register(new CreditResource(services.credits()));
    jersey.register(new PaymentResource(services.credits()));
    jersey.register(new RefusedAdminCallFilter(services.admin()));
    jersey.register(new WebhookResource(services.webhooks()));
    jersey.register(new NotificationResource(services.notifications()));
    jersey.register(new NotificationPreferenceResource(services.notifications()));
    jersey.register(new UnsubscribeResource(services.notifications()));
    jersey.register(new OpenApiResource());
    jersey.register(new HealthResource(environment.healthChecks()));
  }

  /**
   * The web UI at {@code /}; the client's address behind trusted proxies, the security headers and
   * the CORS rules on every request.
   */
  private static void registerWebUi(Environment environment, HttpSettings http) {
    environment.servlets().addServlet("web-ui", new WebUiServlet()).addMapping("/");
    environment
        .servlets()
        .addFilter("request-id", new RequestIdFilter(new TrustedProxies(http.getTrustedProxies())))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
    environment
        .servlets()
        .addFilter(
            "client-address", new ClientAddressFilter(new TrustedProxies(http.getTrustedProxies())))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
    environment
        .servlets()
        .addFilter("security-headers", new SecurityHeadersFilter(http.isHsts()))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
    environment
        .servlets()
        .addFilter("cors", new CorsFilter(http.getCorsAllowedOrigins()))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), true, "/*");
  }
}
