package dev.kiln.simulator;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The simulation's clock and agenda: actions run in time order, ties in the order they were
 * scheduled, so a run is a pure function of its inputs. Not thread-safe.
 */
final class EventQueue {
  private record Event(double at, long sequence, Runnable action) {}

  private final PriorityQueue<Event> agenda =
      new PriorityQueue<>(Comparator.comparingDouble(Event::at).thenComparingLong(Event::sequence));
  private long sequence;
  private double now;

  /** Runs {@code action} at {@code at} seconds (never before now). */
  void at(double at, Runnable action) {
    agenda.add(new Event(Math.max(at, now), sequence++, action));
  }

  double now() {
    return now;
  }

  /** Runs the next action; answers false when none is left. */
  boolean step() {
    Event next = agenda.poll();
    if (next == null) {
      return false;
    }
    now = next.at();
    next.action().run();
    return true;
  }
}
