/**
 * Real PostgreSQL, Redis and S3 (S3Proxy) for local mode and tests, each on a free loopback port
 * with its data under one directory, each replaceable by an external address.
 *
 * <pre>{@code
 * try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.embeddedAt(Path.of("data")))) {
 *   String jdbcUrl = stack.postgres().jdbcUrl(); // database "kiln", user/password postgres
 *   String redis = stack.redisUri();             // redis://127.0.0.1:PORT
 *   S3Endpoint s3 = stack.s3();                  // path-style, kiln / kiln-secret-key, local-1
 * }
 * }</pre>
 *
 * <p>{@link dev.kiln.embedded.StackOptions#withDurableStorage()} makes PostgreSQL and S3
 * acknowledge only what is on disk, as local mode needs; tests keep the fast settings.
 *
 * <p>The servers stop on {@link dev.kiln.embedded.EmbeddedStack#close()}, on a JVM shutdown hook
 * (normal exit, SIGINT, SIGTERM) and, through a watchdog shell, within a second of a SIGKILL.
 */
package dev.kiln.embedded;
