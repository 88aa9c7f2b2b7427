package dev.kiln.protocol.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
  private static final UUID OWNER = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID FILE = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  @Test
  void uploadKeysFollowTheLayout() {
    assertThat(ObjectKeys.upload(OWNER, FILE, "data.csv"))
        .isEqualTo(OWNER + "/" + FILE + "/data.csv");
  }

  @Test
  void traversalSeparatorsAndControlCharactersNeverReachTheKey() {
    String key = ObjectKeys.upload(OWNER, FILE, "../../etc/passwd\u0000\n\r\\x");

    assertThat(key).startsWith(OWNER + "/" + FILE + "/");
    String name = key.substring(key.lastIndexOf('/') + 1);
    assertThat(name).doesNotContain("..", "/", "\\", "\u0000", "\n", "\r").isNotEmpty();
  }

  @Test
  void namesAreNeverEmptyNorHidden() {
    assertThat(ObjectKeys.sanitise("")).isEqualTo("file");
    assertThat(ObjectKeys.sanitise("...")).isEqualTo("file");
    assertThat(ObjectKeys.sanitise(".bashrc")).isEqualTo("bashrc");
    assertThat(ObjectKeys.sanitise(null)).isEqualTo("file");
  }

  @Test
  void longNamesKeepTheirEnding() {
    String name = "a".repeat(500) + ".csv";

    assertThat(ObjectKeys.sanitise(name)).hasSize(120).endsWith(".csv");
  }

  @Test
  void unicodeLettersAreKept() {
    assertThat(ObjectKeys.sanitise("données été.csv")).isEqualTo("données_été.csv");
  }
}
