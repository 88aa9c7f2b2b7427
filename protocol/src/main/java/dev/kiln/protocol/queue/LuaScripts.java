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
   * Runs script {@code name} without waiting; a script Redis has forgotten (after a restart) is
   * loaded and run again, asynchronously too: Redisson forbids blocking calls on the threads that
   * complete its futures.
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
                ? reloadAndRun(name, type, args)
                : CompletableFuture.failedFuture(e));
  }

  private <R> CompletableFuture<R> reloadAndRun(
      String name, RScript.ReturnType type, Object... args) {
    return script
        .scriptLoadAsync(source(name))
        .toCompletableFuture()
        .thenCompose(
            reloaded -> {
              shas.put(name, reloaded);
              return script
                  .<R>evalShaAsync(RScript.Mode.READ_WRITE, reloaded, type, keys, args)
                  .toCompletableFuture();
            });
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
