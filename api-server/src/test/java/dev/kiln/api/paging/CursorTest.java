package dev.kiln.api.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.api.errors.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorTest {
  @Test
  void roundTrips() {
    Cursor cursor = new Cursor(Instant.parse("2026-03-01T10:15:30.123456Z"), UUID.randomUUID());

    assertThat(Cursor.decode(cursor.encode())).isEqualTo(cursor);
  }

  @Test
  void aForgedCursorIsABadRequest() {
    assertThatThrownBy(() -> Cursor.decode("'; drop table jobs; --"))
        .isInstanceOf(ApiException.class)
        .extracting(e -> ((ApiException) e).status())
        .isEqualTo(400);
  }

  @Test
  void limitsAreChecked() {
    assertThat(Cursor.limit(null)).isEqualTo(Cursor.DEFAULT_LIMIT);
    assertThatThrownBy(() -> Cursor.limit(0)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> Cursor.limit(10_000)).isInstanceOf(ApiException.class);
  }
}
