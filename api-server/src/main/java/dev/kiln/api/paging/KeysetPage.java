package dev.kiln.api.paging;

import dev.kiln.client.api.Page;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of rows listed newest first by {@code (createdAt, id)}, read by keyset: the query asks
 * for one row more than the page holds, and that extra row, when it comes, says another page
 * follows, whose cursor is the position of the last row shown. Immutable.
 *
 * @param rows the page's rows, at most the limit
 * @param next where the next page starts; null on the last page
 */
public record KeysetPage<R>(List<R> rows, Cursor next) {

  /** A query for the rows strictly older than a keyset position, newest first. */
  @FunctionalInterface
  public interface Query<R> {
    /**
     * At most {@code limit} rows older than {@code (createdAt, id)}; both null: from the newest.
     */
    List<R> rowsBefore(Instant createdAt, UUID id, int limit);
  }

  /**
   * Reads the page after {@code after} (null: the first page) of {@code limit} rows; {@code
   * cursorOf} gives a row's keyset position.
   */
  public static <R> KeysetPage<R> fetch(
      Cursor after, int limit, Query<R> query, Function<R, Cursor> cursorOf) {
    List<R> rows =
        query.rowsBefore(
            after == null ? null : after.createdAt(), after == null ? null : after.id(), limit + 1);
    if (rows.size() <= limit) {
      return new KeysetPage<>(rows, null);
    }
    List<R> shown = rows.subList(0, limit);
    return new KeysetPage<>(shown, cursorOf.apply(shown.get(limit - 1)));
  }

  /** The page as the API answers it, each row turned into its wire record. */
  public <V> Page<V> toPage(Function<R, V> view) {
    return new Page<>(rows.stream().map(view).toList(), next == null ? null : next.encode());
  }
}
