package dev.kiln.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the local platform runs.
 *
 * @param dataDir where PostgreSQL, Redis, S3 and the logs keep their data
 * @param apiPort the API's port (0 picks a free one)
 * @param adminPort the API's admin port (0 picks a free one)
 * @param minAgents agent processes kept even when idle (started at once)
 * @param maxAgents agent processes the autoscaler may run under a backlog
 * @param agentClasspath classpath of the agent processes
 * @param javacppCacheDir where TensorFlow's native libraries are unpacked
 * @param consoleLogs the services log to the console as well as to their log file; false for the
 *     demo, whose progress bar owns the terminal
 * @param apiOverrides settings of the API's configuration to change, by their dotted path (such as
 *     {@code files.partSize}), as Dropwizard's {@code dw.} properties do; empty for the defaults
 */
public record LocalSettings(
    Path dataDir,
    int apiPort,
    int adminPort,
    int minAgents,
    int maxAgents,
    String agentClasspath,
    Path javacppCacheDir,
    boolean consoleLogs,
    Map<String, String> apiOverrides) {

  public LocalSettings {
    apiOverrides = Map.copyOf(apiOverrides);
  }

  /** Settings with the API's configuration as written. */
  public LocalSettings(
      Path dataDir,
      int apiPort,
      int adminPort,
      int minAgents,
      int maxAgents,
      String agentClasspath,
      Path javacppCacheDir,
      boolean consoleLogs) {
    this(
        dataDir,
        apiPort,
        adminPort,
        minAgents,
        maxAgents,
        agentClasspath,
        javacppCacheDir,
        consoleLogs,
        Map.of());
  }

  /** Settings whose services also log to the console. */
  public LocalSettings(
      Path dataDir,
      int apiPort,
      int adminPort,
      int minAgents,
      int maxAgents,
      String agentClasspath,
      Path javacppCacheDir) {
    this(dataDir, apiPort, adminPort, minAgents, maxAgents, agentClasspath, javacppCacheDir, true);
  }

  /** The same settings on other ports and another data directory. */
  public LocalSettings on(Path otherDataDir, int otherApiPort, int otherAdminPort) {
    return new LocalSettings(
        otherDataDir,
        otherApiPort,
        otherAdminPort,
        minAgents,
        maxAgents,
        agentClasspath,
        javacppCacheDir,
        consoleLogs,
        apiOverrides);
  }

  /** The same settings with these changes to the API's configuration. */
  public LocalSettings withApiOverrides(Map<String, String> overrides) {
    return new LocalSettings(
        dataDir,
        apiPort,
        adminPort,
        minAgents,
        maxAgents,
        agentClasspath,
        javacppCacheDir,
        consoleLogs,
        overrides);
  }
}
