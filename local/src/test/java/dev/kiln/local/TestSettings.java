package dev.kiln.local;

import java.nio.file.Path;

/** The local platform's settings as the tests start it: random ports, this JVM's class path. */
final class TestSettings {
  private TestSettings() {}

  /** A platform in {@code dataDir} with a fleet of exactly {@code agents} agents. */
  static LocalSettings withAgents(Path dataDir, int agents) {
    return new LocalSettings(
        dataDir, 0, 0, agents, agents, System.getProperty("java.class.path"), javacppCacheDir());
  }

  /** Where TensorFlow's native library is unpacked (inside target/, shared by the test JVMs). */
  static Path javacppCacheDir() {
    return Path.of(System.getProperty("org.bytedeco.javacpp.cachedir", "target/javacpp"));
  }
}
