package dev.kiln.scheduler.autoscale;

import dev.kiln.model.fleet.Fleet;
import java.util.ArrayList;
import java.util.List;

/** A fleet that becomes whatever size it is asked for and remembers every request. */
final class RecordingFleet implements Fleet {
  final List<Integer> resizes = new ArrayList<>();
  int refreshes;
  private int size;

  RecordingFleet(int size) {
    this.size = size;
  }

  @Override
  public synchronized int size() {
    return size;
  }

  @Override
  public synchronized void resize(int desired) {
    resizes.add(desired);
    size = desired;
  }

  @Override
  public synchronized void refresh() {
    refreshes++;
  }

  @Override
  public String describe() {
    return "recording fleet";
  }
}
