package dev.kiln.embedded;

import java.net.URI;

/** Where a PostgreSQL server listens and how to log in. */
public record PostgresEndpoint(
    String host, int port, String user, String password, String database) {

  /** JDBC URL of {@link #database()}. */
  public String jdbcUrl() {
    return jdbcUrl(database);
  }

  /** JDBC URL of another database on the same server. */
  public String jdbcUrl(String otherDatabase) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + otherDatabase;
  }

  /**
   * Parses {@code jdbc:postgresql://host[:port]/database[?params]}; query parameters are dropped.
   */
  public static PostgresEndpoint fromJdbcUrl(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (uri.getHost() == null || database.isEmpty()) {
      throw new IllegalArgumentException(
          "JDBC URL needs a host and a database, e.g. jdbc:postgresql://db:5432/kiln, got "
              + jdbcUrl);
    }
    return new PostgresEndpoint(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, database);
  }
}
