package dev.kiln.agent.processor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The processors an agent offers, by name. Thread-safe once built. */
public final class Processors implements AutoCloseable {
  private final Map<String, Processor> byName;

  public Processors(Collection<? extends Processor> processors) {
    Map<String, Processor> map = new LinkedHashMap<>();
    for (Processor processor : processors) {
      if (map.putIfAbsent(processor.name(), processor) != null) {
        throw new IllegalArgumentException("two processors are named " + processor.name());
      }
    }
    this.byName = Map.copyOf(map);
  }

  /**
   * The processors on the class path, keeping those named in {@code enabled} (all when empty).
   *
   * @throws IllegalArgumentException when an enabled name has no processor
   */
  public static Processors discover(Set<String> enabled) {
    List<Processor> found =
        ServiceLoader.load(Processor.class).stream().map(ServiceLoader.Provider::get).toList();
    Map<String, Processor> named = new LinkedHashMap<>();
    found.forEach(p -> named.put(p.name(), p));
    for (String name : enabled) {
      if (!named.containsKey(name)) {
        throw new IllegalArgumentException(
            "no processor is named " + name + "; found " + named.keySet());
      }
    }
    return new Processors(
        found.stream().filter(p -> enabled.isEmpty() || enabled.contains(p.name())).toList());
  }

  public Set<String> names() {
    return byName.keySet();
  }

  public Optional<Processor> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Collection<Processor> all() {
    return byName.values();
  }

  @Override
  public void close() {
    byName.values().forEach(Processor::close);
  }
}
