package dev.kiln.protocol.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.protocol.RedisKeys;
import java.util.Optional;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The autoscaler's latest decision in Redis: a JSON string under {@value RedisKeys#FLEET_DECISION},
 * written by the scheduler leader and read by the operator console. Readers ignore fields they do
 * not know, so a newer scheduler can add some. Thread-safe.
 */
public final class FleetDecisionStore {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final RedissonClient redisson;

  public FleetDecisionStore(RedissonClient redisson) {
    this.redisson = redisson;
  }

  public void publish(FleetDecision decision) {
    publish("", decision);
  }

  /**
   * Publishes the decision of agent group {@code group}: the main fleet's when empty, else under
   * {@link RedisKeys#groupDecision}.
   */
  public void publish(String group, FleetDecision decision) {
    String key = group.isEmpty() ? RedisKeys.FLEET_DECISION : RedisKeys.groupDecision(group);
    try {
      redisson.<String>getBucket(key, StringCodec.INSTANCE).set(JSON.writeValueAsString(decision));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the fleet decision as JSON", e);
    }
  }

  /** The latest decision of a further agent group; empty when none was published. */
  public Optional<FleetDecision> latest(String group) {
    return read(RedisKeys.groupDecision(group));
  }

  /**
   * The latest decision; empty when none was published.
   *
   * @throws UnreadableDecisionException when the stored text is not a decision
   */
  public Optional<FleetDecision> latest() {
    return read(RedisKeys.FLEET_DECISION);
  }

  private Optional<FleetDecision> read(String key) {
    String text = redisson.<String>getBucket(key, StringCodec.INSTANCE).get();
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(text, FleetDecision.class));
    } catch (JsonProcessingException e) {
      throw new UnreadableDecisionException(key, text, e);
    }
  }

  /** The stored decision is not readable JSON of the expected shape. */
  public static final class UnreadableDecisionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnreadableDecisionException(String key, String text, Throwable cause) {
      super("unreadable " + key + ": " + text, cause);
    }
  }
}
