package dev.kiln.local;

import java.util.Locale;

/** Reads sizes such as {@code 200MB}, {@code 1.5GB}, {@code 64KiB} or a byte count. */
final class Sizes {
  private Sizes() {}

  static long parse(String text) {
    String value = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    String[][] units = {
      {"GIB", "1073741824"},
      {"MIB", "1048576"},
      {"KIB", "1024"},
      {"GB", "1000000000"},
      {"MB", "1000000"},
      {"KB", "1000"},
      {"B", "1"}
    };
    for (String[] suffix : units) {
      if (value.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        value = value.substring(0, value.length() - suffix[0].length()).trim();
        break;
      }
    }
    try {
      long bytes = Math.round(Double.parseDouble(value) * unit);
      if (bytes > 0) {
        return bytes;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "cannot read the size '" + text + "'; write it like 200MB, 1.5GB or 65536");
  }
}
