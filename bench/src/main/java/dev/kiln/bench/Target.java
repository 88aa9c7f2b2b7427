package dev.kiln.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One request the API benchmark sends, in the two forms its load generators take: a wrk Lua script
 * and raw HTTP/1.1 requests. A target with several paths sends them in turn, each load-generator
 * thread from its own starting point. Every POST carries a fresh {@code Idempotency-Key}, so each
 * one creates a job.
 */
record Target(
    String name,
    URI base,
    String method,
    List<String> paths,
    String authorization,
    String cacheControl,
    String body) {
  Target {
    paths = List.copyOf(paths);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException(name + " needs at least one path");
    }
  }

  static Target get(String name, URI base, String path, String authorization) {
    return new Target(name, base, "GET", List.of(path), authorization, null, null);
  }

  /**
   * GETs of {@code paths} in turn that ask the server not to answer from memory ({@code
   * Cache-Control: no-cache}).
   */
  static Target getUncached(String name, URI base, List<String> paths, String authorization) {
    return new Target(name, base, "GET", paths, authorization, "no-cache", null);
  }

  static Target post(String name, URI base, String path, String authorization, String json) {
    return new Target(name, base, "POST", List.of(path), authorization, null, json);
  }

  /** The first path's address (wrk's command line; the script chooses each request's path). */
  URI url() {
    return base.resolve(paths.get(0));
  }

  /** A wrk script; {@code run} keeps idempotency keys apart between runs. */
  String wrkScript(String run) {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"").append(method).append("\"\n");
    lua.append("wrk.headers[\"Authorization\"] = [==[").append(authorization).append("]==]\n");
    if (cacheControl != null) {
      lua.append("wrk.headers[\"Cache-Control\"] = \"").append(cacheControl).append("\"\n");
    }
    lua.append("local threads = 0\n");
    lua.append("function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n");
    if (body == null) {
      return paths.size() == 1 ? lua.toString() : lua.append(pathCycle()).toString();
    }
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    lua.append("wrk.body = [==[").append(body).append("]==]\n");
    lua.append("counter = 0\n");
    lua.append("function request()\n");
    lua.append("  counter = counter + 1\n");
    lua.append("  wrk.headers[\"Idempotency-Key\"] = \"")
        .append(run)
        .append("-\" .. tid .. \"-\" .. counter\n");
    lua.append("  return wrk.format()\n");
    lua.append("end\n");
    return lua.toString();
  }

  /** A request function sending the paths in turn, each thread from its own place in the list. */
  private String pathCycle() {
    StringBuilder lua = new StringBuilder("paths = {\n");
    for (String path : paths) {
      lua.append("  \"").append(path).append("\",\n");
    }
    lua.append("}\n");
    lua.append("counter = nil\n");
    lua.append("function request()\n");
    // Each thread starts a prime number of paths after the one before it.
    lua.append("  if counter == nil then counter = tid * 7919 end\n");
    lua.append("  counter = counter + 1\n");
    lua.append("  return wrk.format(nil, paths[counter % #paths + 1])\n");
    lua.append("end\n");
    return lua.toString();
  }

  /**
   * The raw requests, one per path; {@code {n}} in them stands for the request's sequence number.
   */
  List<String> rawRequests(String run) {
    return paths.stream().map(path -> rawRequest(path, run)).toList();
  }

  private String rawRequest(String path, String run) {
    StringBuilder http = new StringBuilder();
    http.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    http.append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
    http.append("Authorization: ").append(authorization).append("\r\n");
    if (cacheControl != null) {
      http.append("Cache-Control: ").append(cacheControl).append("\r\n");
    }
    if (body != null) {
      http.append("Content-Type: application/json\r\n");
      http.append("Idempotency-Key: ").append(run).append("-{n}\r\n");
      http.append("Content-Length: ")
          .append(body.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n");
    }
    http.append("\r\n");
    if (body != null) {
      http.append(body);
    }
    return http.toString();
  }

  int expectedStatus() {
    return body == null ? 200 : 202;
  }
}
