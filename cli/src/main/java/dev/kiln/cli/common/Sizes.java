package dev.kiln.cli.common;

import java.util.Locale;

/** Byte counts and durations as people read them. Stateless. */
public final class Sizes {
  private Sizes() {}

  public static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  public static String seconds(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /**
   * Parses a size such as {@code 512}, {@code 10M}, {@code 1.5GiB} or {@code 20MB} (K, M, G are
   * powers of 1024, KB, MB, GB powers of 1000).
   */
  public static long parse(String text) {
    String value = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    String[][] suffixes = {
      {"KIB", "1024"},
      {"MIB", "1048576"},
      {"GIB", "1073741824"},
      {"KB", "1000"},
      {"MB", "1000000"},
      {"GB", "1000000000"},
      {"K", "1024"},
      {"M", "1048576"},
      {"G", "1073741824"},
      {"B", "1"}
    };
    for (String[] suffix : suffixes) {
      if (value.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        value = value.substring(0, value.length() - suffix[0].length()).strip();
        break;
      }
    }
    try {
      double number = Double.parseDouble(value);
      if (number < 0) {
        throw new NumberFormatException();
      }
      return (long) (number * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write it as 512, 10M, 1.5GiB or 20MB");
    }
  }
}
