package dev.kiln.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

  @Test
  void parsesBinaryAndDecimalUnits() {
    assertThat(Sizes.parse("512")).isEqualTo(512);
    assertThat(Sizes.parse("10M")).isEqualTo(10L * 1024 * 1024);
    assertThat(Sizes.parse("1.5GiB")).isEqualTo(1_610_612_736L);
    assertThat(Sizes.parse("20MB")).isEqualTo(20_000_000L);
    assertThat(Sizes.parse("4k")).isEqualTo(4096);
    assertThatThrownBy(() -> Sizes.parse("lots")).hasMessageContaining("is not a size");
    assertThatThrownBy(() -> Sizes.parse("-1M")).hasMessageContaining("is not a size");
  }

  @Test
  void printsForPeople() {
    assertThat(Sizes.bytes(999)).isEqualTo("999 B");
    assertThat(Sizes.bytes(5L * 1024 * 1024)).isEqualTo("5.0 MiB");
    assertThat(Sizes.seconds(59)).isEqualTo("59s");
    assertThat(Sizes.seconds(61)).isEqualTo("1m01s");
    assertThat(Sizes.seconds(3_720)).isEqualTo("1h02m");
  }
}
