package dev.kiln.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the agent's {@code KILN_*} settings come from: its environment, and, when {@code
 * KILN_AGENT_SETTINGS=stdin}, {@code KILN_NAME=value} lines on standard input, which win. Secrets
 * (S3 keys, a Redis URI with a password) belong on standard input: the agent runs models, which are
 * untrusted code, and any code in a process can read its environment ({@code /proc/self/environ})
 * for as long as the process lives, while standard input, once read, cannot be read again. The
 * parent writes the lines and closes the stream; the agent reads it to its end before it starts.
 * Stateless.
 */
final class AgentSettings {
  /** {@code stdin}: read settings from standard input. */
  static final String SOURCE = "KILN_AGENT_SETTINGS";

  private static final Pattern LINE = Pattern.compile("(KILN_[A-Z0-9_]+)=(.*)");
  private static final int MAX_CHARS = 64 * 1024;

  private AgentSettings() {}

  /** The environment, overridden by standard input's lines when the environment asks for it. */
  static Map<String, String> read(Map<String, String> env, InputStream stdin) throws IOException {
    String source = env.getOrDefault(SOURCE, "").strip();
    if (source.isEmpty() || source.equals("env")) {
      return env;
    }
    if (!source.equals("stdin")) {
      throw new IllegalArgumentException(SOURCE + " is stdin or env, not '" + source + "'");
    }
    Map<String, String> settings = new HashMap<>(env);
    settings.putAll(parse(stdin));
    return settings;
  }

  /**
   * {@code KILN_NAME=value} lines; blank lines and {@code #} comments are skipped. A malformed line
   * is refused by its number only, so a secret never reaches a log.
   */
  static Map<String, String> parse(InputStream in) throws IOException {
    Map<String, String> settings = new HashMap<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    long chars = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      number++;
      chars += line.length() + 1;
      if (chars > MAX_CHARS) {
        throw new IllegalArgumentException("standard input holds more than 64 KiB of settings");
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(trimmed);
      if (!matcher.matches()) {
        throw new IllegalArgumentException(
            "line " + number + " of standard input is not KILN_NAME=value");
      }
      settings.put(matcher.group(1), matcher.group(2));
    }
    return settings;
  }

  /** The names of the secrets {@code env} holds, which a model could read. */
  static List<String> secretsIn(Map<String, String> env) {
    List<String> secrets = new ArrayList<>();
    for (String name : List.of("KILN_S3_ACCESS_KEY", "KILN_S3_SECRET_KEY")) {
      if (!env.getOrDefault(name, "").isBlank()) {
        secrets.add(name);
      }
    }
    String redis = env.getOrDefault("KILN_REDIS_URI", "");
    if (!redis.isBlank() && hasPassword(redis)) {
      secrets.add("KILN_REDIS_URI");
    }
    return secrets;
  }

  private static boolean hasPassword(String uri) {
    try {
      String userInfo = URI.create(uri.strip()).getRawUserInfo();
      return userInfo != null && !userInfo.isEmpty();
    } catch (IllegalArgumentException e) {
      return uri.contains("@");
    }
  }
}
