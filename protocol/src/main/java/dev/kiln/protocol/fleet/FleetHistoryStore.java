package dev.kiln.protocol.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.kiln.model.fleet.FleetDecision;
import dev.kiln.model.fleet.FleetPoint;
import dev.kiln.protocol.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.redisson.api.RList;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The fleet's recent history in Redis, for the operator console: the autoscaler's last decisions
 * ({@value RedisKeys#FLEET_DECISIONS}) and one point per minute of agents, backlog and spend
 * ({@value RedisKeys#FLEET_SERIES}), both capped JSON lists, newest first. Written by the scheduler
 * leader alone; entries that do not parse are skipped when read. Thread-safe.
 */
public final class FleetHistoryStore {
  /** Decisions kept. */
  public static final int DECISIONS_KEPT = 20;

  /** Points kept: one hour at one a minute. */
  public static final int POINTS_KEPT = 60;

  /** The spacing of points. */
  public static final Duration POINT_INTERVAL = Duration.ofMinutes(1);

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final RedissonClient redisson;

  public FleetHistoryStore(RedissonClient redisson) {
    this.redisson = redisson;
  }

  /**
   * Keeps {@code decision} when its desired count or its reason differs from the newest kept one;
   * answers whether it was kept.
   */
  public boolean recordDecision(FleetDecision decision) {
    RList<String> list = list(RedisKeys.FLEET_DECISIONS);
    FleetDecision newest = read(list.isEmpty() ? null : list.get(0), FleetDecision.class);
    if (newest != null
        && newest.desired() == decision.desired()
        && Objects.equals(newest.reason(), decision.reason())) {
      return false;
    }
    list.add(0, write(decision));
    list.trim(0, DECISIONS_KEPT - 1);
    return true;
  }

  /**
   * Appends {@code point} when the newest point is at least {@link #POINT_INTERVAL} older (or there
   * is none); answers whether it was appended.
   */
  public boolean recordPoint(FleetPoint point) {
    RList<String> list = list(RedisKeys.FLEET_SERIES);
    FleetPoint newest = read(list.isEmpty() ? null : list.get(0), FleetPoint.class);
    if (newest != null
        && newest.at() != null
        && Duration.between(newest.at(), point.at()).compareTo(POINT_INTERVAL) < 0) {
      return false;
    }
    list.add(0, write(point));
    list.trim(0, POINTS_KEPT - 1);
    return true;
  }

  /** The kept decisions, newest first. */
  public List<FleetDecision> decisions() {
    return readAll(RedisKeys.FLEET_DECISIONS, FleetDecision.class);
  }

  /** The kept points, oldest first (the order a chart draws them). */
  public List<FleetPoint> series() {
    List<FleetPoint> points = new ArrayList<>(readAll(RedisKeys.FLEET_SERIES, FleetPoint.class));
    java.util.Collections.reverse(points);
    return points;
  }

  private <T> List<T> readAll(String key, Class<T> type) {
    List<T> values = new ArrayList<>();
    for (String text : list(key).readAll()) {
      T value = read(text, type);
      if (value != null) {
        values.add(value);
      }
    }
    return values;
  }

  private RList<String> list(String key) {
    return redisson.getList(key, StringCodec.INSTANCE);
  }

  private static <T> T read(String text, Class<T> type) {
    if (text == null) {
      return null;
    }
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value + " as JSON", e);
    }
  }
}
