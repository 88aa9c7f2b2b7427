package dev.kiln.cli.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints results to stdout: as aligned columns for people, or as JSON for scripts (the API's own
 * wire records, field for field, so scripts can rely on the API's documentation). Not thread-safe.
 */
public final class Output {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final PrintWriter out;
  private final GlobalOptions.Format format;
  private final Style style;

  public Output(PrintWriter out, GlobalOptions.Format format, Style style) {
    this.out = out;
    this.format = format;
    this.style = style;
  }

  public boolean json() {
    return format == GlobalOptions.Format.json;
  }

  public Style style() {
    return style;
  }

  /** Prints {@code value} as JSON, or runs {@code table} to print it for people. */
  public void print(Object value, Runnable table) {
    if (json()) {
      printJson(value);
    } else {
      table.run();
    }
    out.flush();
  }

  public void printJson(Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new CliException(
          ExitCodes.GENERAL, "cannot print the answer as JSON: " + e.getMessage());
    }
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  /** Aligned columns under a bold header; {@code null} cells print as "-". */
  public void table(List<String> headers, List<List<String>> rows) {
    int[] widths = new int[headers.size()];
    List<List<String>> cells = new ArrayList<>();
    cells.add(headers);
    for (List<String> row : rows) {
      cells.add(row.stream().map(cell -> cell == null ? "-" : cell).toList());
    }
    for (List<String> row : cells) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], visibleLength(row.get(i)));
      }
    }
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder line = new StringBuilder();
      List<String> row = cells.get(r);
      for (int i = 0; i < widths.length; i++) {
        String cell = row.get(i);
        line.append(r == 0 ? style.bold(cell) : cell);
        if (i < widths.length - 1) {
          line.append(" ".repeat(widths[i] - visibleLength(cell) + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    out.flush();
  }

  private static int visibleLength(String text) {
    return text.replaceAll("\u001b\\[[0-9;]*m", "").length();
  }
}
