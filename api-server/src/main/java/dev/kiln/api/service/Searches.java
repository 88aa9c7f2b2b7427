package dev.kiln.api.service;

import java.util.Locale;

/** Turns what an operator typed into SQL {@code like} patterns, wildcards escaped. Stateless. */
final class Searches {
  private Searches() {}

  /** A lower-cased pattern matching text that contains {@code query}; null for no query. */
  static String containsPattern(String query) {
    if (query == null || query.isBlank()) {
      return null;
    }
    return "%" + escapeLike(query.strip().toLowerCase(Locale.ROOT)) + "%";
  }

  /** {@code text} with the {@code like} wildcards and the escape character escaped. */
  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
