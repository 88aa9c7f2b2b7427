package dev.kiln.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One request the API benchmark sends, in the two forms its load generators take: a wrk Lua script
 * and a raw HTTP/1.1 request. Every POST carries a fresh {@code Idempotency-Key}, so each one
 * creates a job.
 */
record Target(
    String name,
    URI base,
    String method,
    String path,
    String authorization,
    String cacheControl,
    String body) {
  static Target get(String name, URI base, String path, String authorization) {
    return new Target(name, base, "GET", path, authorization, null, null);
  }

  /** A GET that asks the server not to answer from memory ({@code Cache-Control: no-cache}). */
  static Target getUncached(String name, URI base, String path, String authorization) {
    return new Target(name, base, "GET", path, authorization, "no-cache", null);
  }

  static Target post(String name, URI base, String path, String authorization, String json) {
    return new Target(name, base, "POST", path, authorization, null, json);
  }

  URI url() {
    return base.resolve(path);
  }

  /** A wrk script; {@code run} keeps idempotency keys apart between runs. */
  String wrkScript(String run) {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"").append(method).append("\"\n");
    lua.append("wrk.headers[\"Authorization\"] = [==[").append(authorization).append("]==]\n");
    if (cacheControl != null) {
      lua.append("wrk.headers[\"Cache-Control\"] = \"").append(cacheControl).append("\"\n");
    }
    if (body == null) {
      return lua.toString();
    }
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    lua.append("wrk.body = [==[").append(body).append("]==]\n");
    lua.append("local threads = 0\n");
    lua.append("function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n");
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

  /** A raw request; {@code {n}} in it stands for the request's sequence number. */
  String rawRequest(String run) {
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
