package dev.kiln.local;

import java.nio.file.Path;

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
 */
public record LocalSettings(
    Path dataDir,
    int apiPort,
    int adminPort,
    int minAgents,
    int maxAgents,
    String agentClasspath,
    Path javacppCacheDir,
    boolean consoleLogs) {

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
        consoleLogs);
  }
}
