package dev.kiln.api.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.errors.ApiException;
import dev.kiln.client.api.AgentView;
import dev.kiln.client.api.FleetDecision;
import dev.kiln.client.api.FleetView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the scheduler and the agents publish in Redis about the fleet: the autoscaler's latest
 * decision ({@value #DECISION_KEY}) and the agents' status hashes ({@value #AGENT_PREFIX}{@code
 * {agentId}}), found with SCAN. Thread-safe.
 */
public final class FleetService {
  /** Where the scheduler's autoscaler publishes its latest decision (a JSON string). */
  public static final String DECISION_KEY = "kiln:autoscaler:decision";

  /** The prefix of the agents' status hashes. */
  public static final String AGENT_PREFIX = "kiln:agents:";

  private static final Logger LOG = LoggerFactory.getLogger(FleetService.class);

  private final RedissonClient redisson;
  private final ObjectMapper json;
  private final Clock clock;

  public FleetService(RedissonClient redisson, ObjectMapper json, Clock clock) {
    this.redisson = redisson;
    // The scheduler may add fields to its decision; the console shows the ones it knows.
    this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.clock = clock;
  }

  public FleetView fleet() {
    FleetDecision decision = decision();
    Long age =
        decision == null || decision.at() == null
            ? null
            : Math.max(0, Duration.between(decision.at(), clock.instant()).toSeconds());
    boolean capped = decision != null && decision.budgetCapped();
    return new FleetView(decision, age, capped, capped ? budgetNotice(decision) : null, agents());
  }

  /** The sentence the console puts first when the global budget holds the fleet back. */
  static String budgetNotice(FleetDecision decision) {
    String budget =
        decision.budget() == null
            ? "the global monthly budget"
            : String.format(
                Locale.ROOT,
                "the global monthly budget of $%.2f ($%.2f spent this month)",
                decision.budget(),
                decision.spend());
    return "The fleet is capped by budget: "
        + budget
        + " stops it from growing beyond "
        + decision.desired()
        + " agent(s) while "
        + decision.queued()
        + " shard(s) wait. Raise fleet.monthlyBudgetUsd in the scheduler's configuration to let it"
        + " grow. Autoscaler: "
        + decision.reason();
  }

  private FleetDecision decision() {
    String text = redisson.<String>getBucket(DECISION_KEY, StringCodec.INSTANCE).get();
    if (text == null) {
      return null;
    }
    try {
      return json.readValue(text, FleetDecision.class);
    } catch (JsonProcessingException e) {
      LOG.warn("unreadable {}: {}", DECISION_KEY, text, e);
      throw ApiException.unavailable(
          "The autoscaler's decision in Redis ("
              + DECISION_KEY
              + ") is not readable JSON; check that the scheduler and the API run the same"
              + " version.");
    }
  }

  private List<AgentView> agents() {
    List<AgentView> agents = new ArrayList<>();
    Iterable<String> keys =
        redisson
            .getKeys()
            .getKeys(KeysScanOptions.defaults().pattern(AGENT_PREFIX + "*").chunkSize(200));
    for (String key : keys) {
      Map<String, String> fields =
          redisson.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap();
      if (!fields.isEmpty()) {
        agents.add(agent(key.substring(AGENT_PREFIX.length()), fields));
      }
    }
    agents.sort(Comparator.comparing(AgentView::agentId));
    return agents;
  }

  static AgentView agent(String idFromKey, Map<String, String> fields) {
    String processors = fields.get("processors");
    Long leases = number(fields.get("leases"));
    return new AgentView(
        fields.getOrDefault("agentId", idFromKey),
        fields.get("instanceId"),
        fields.get("instanceType"),
        fields.get("ami"),
        fields.get("version"),
        fields.get("gpu"),
        fields.get("device"),
        processors == null || processors.isBlank()
            ? List.of()
            : Arrays.stream(processors.split(",")).map(String::strip).toList(),
        fields.get("state"),
        leases == null ? null : leases.intValue(),
        number(fields.get("shardsDone")),
        number(fields.get("shardsFailed")),
        blankToNull(fields.get("drainReason")),
        instant(fields.get("lastHeartbeat")));
  }

  private static Long number(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant instant(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
