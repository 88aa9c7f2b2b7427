package dev.kiln.protocol.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;

/**
 * The work-queue Lua scripts, each run by its SHA and loaded again when Redis has forgotten it (a
 * restart). Thread-safe.
 */
final class LuaScripts {
  private final RScript script;
  private final List<Object> keys;
  private final Map<String, String> sources = new ConcurrentHashMap<>();
  private final Map<String, String> shas = new ConcurrentHashMap<>();

  LuaScripts(RedissonClient redisson, String prefix) {
    this.script = redisson.getScript();
    this.keys = List.of(prefix);
  }

  /** Runs script {@code name} with the given arguments (all sent as strings). */
  <R> R run(String name, RScript.ReturnType type, Object... args) {
    String sha = shas.computeIfAbsent(name, n -> script.scriptLoad(source(n)));
    try {
      return script.evalSha(RScript.Mode.READ_WRITE, sha, type, keys, args);
    } catch (RedisException e) {
      if (!String.valueOf(e.getMessage()).contains("NOSCRIPT")) {
        throw e;
      }
      String reloaded = script.scriptLoad(source(name));
      shas.put(name, reloaded);
      return script.evalSha(RScript.Mode.READ_WRITE, reloaded, type, keys, args);
    }
  }

  /**
   * Runs script {@code name} without waiting; a script Redis has forgotten is loaded and run again
   * on the caller's thread when the answer is awaited.
   */
  <R> CompletableFuture<R> runAsync(String name, RScript.ReturnType type, Object... args) {
    String sha = shas.computeIfAbsent(name, n -> script.scriptLoad(source(n)));
    CompletableFuture<R> answer =
        script
            .<R>evalShaAsync(RScript.Mode.READ_WRITE, sha, type, keys, args)
            .toCompletableFuture();
    return answer.exceptionallyCompose(
        e ->
            String.valueOf(e.getMessage()).contains("NOSCRIPT")
                ? CompletableFuture.supplyAsync(() -> run(name, type, args), Runnable::run)
                : CompletableFuture.failedFuture(e));
  }

  private String source(String name) {
    return sources.computeIfAbsent(name, n -> read("lib") + "\n" + read(n));
  }

  private static String read(String name) {
    String path = "/dev/kiln/protocol/queue/" + name + ".lua";
    try (InputStream in = LuaScripts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
