package dev.kiln.api.paging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.api.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeysetPageTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A row as the listings read them: newest first by (createdAt, id). */
  private record Row(Instant createdAt, UUID id) {}

  private static final Comparator<Row> NEWEST_FIRST =
      Comparator.comparing(Row::createdAt).thenComparing(Row::id).reversed();

  private final List<Integer> limitsAsked = new ArrayList<>();

  @Test
  void pagesVisitEveryRowOnceInOrderAndTheLastHasNoCursor() {
    UUID shared = UUID.randomUUID();
    List<Row> table =
        List.of(
            new Row(T0.plusSeconds(3), UUID.randomUUID()),
            new Row(T0.plusSeconds(2), UUID.randomUUID()),
            new Row(T0.plusSeconds(2), shared),
            new Row(T0.plusSeconds(1), UUID.randomUUID()),
            new Row(T0, UUID.randomUUID()));

    List<Row> seen = new ArrayList<>();
    List<String> cursors = new ArrayList<>();
    String cursor = null;
    do {
      Page<Row> page = page(table, Cursor.decode(cursor), 2);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
      seen.addAll(page.items());
      cursor = page.nextCursor();
      cursors.add(cursor);
    } while (cursor != null);

    assertThat(seen).isEqualTo(table.stream().sorted(NEWEST_FIRST).toList());
    assertThat(cursors).hasSize(3).last().isNull();
    assertThat(limitsAsked).containsOnly(3);
  }

  @Test
  void aPageThatEndsExactlyAtTheLastRowHasNoCursor() {
    List<Row> table =
        List.of(new Row(T0.plusSeconds(1), UUID.randomUUID()), new Row(T0, UUID.randomUUID()));

    Page<Row> page = page(table, null, 2);

    assertThat(page.items()).hasSize(2);
    assertThat(page.nextCursor()).isNull();
  }

  @Test
  void theNextCursorIsThePositionOfTheLastRowShown() {
    Row newest = new Row(T0.plusSeconds(1), UUID.randomUUID());
    List<Row> table = List.of(newest, new Row(T0, UUID.randomUUID()));

    KeysetPage<Row> page =
        KeysetPage.fetch(null, 1, rowsBefore(table), row -> new Cursor(row.createdAt(), row.id()));

    assertThat(page.rows()).containsExactly(newest);
    assertThat(page.next()).isEqualTo(new Cursor(newest.createdAt(), newest.id()));
  }

  private Page<Row> page(List<Row> table, Cursor after, int limit) {
    return KeysetPage.fetch(
            after, limit, rowsBefore(table), row -> new Cursor(row.createdAt(), row.id()))
        .toPage(row -> row);
  }

  /** The keyset query the DAOs run, over a list. */
  private KeysetPage.Query<Row> rowsBefore(List<Row> table) {
    return (createdAt, id, limit) -> {
      limitsAsked.add(limit);
      Row position = createdAt == null ? null : new Row(createdAt, id);
      return table.stream()
          .sorted(NEWEST_FIRST)
          .filter(row -> position == null || NEWEST_FIRST.compare(row, position) > 0)
          .limit(limit)
          .toList();
    };
  }
}
