package dev.kiln.agent.processor;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import java.util.List;

/**
 * Reads and writes CSV records by RFC 4180 (comma separator, double-quote quoting, {@code ""} for a
 * quote inside quotes; a quoted field may hold line breaks). The agent cuts records with {@link
 * dev.kiln.model.plan.RecordSyntax#CSV}; the fields of one record are parsed with FastCSV.
 * Stateless and thread-safe.
 */
public final class Csv {
  private Csv() {}

  /**
   * The fields of one record (which may span lines inside quotes).
   *
   * @throws IllegalArgumentException when a quote is not closed or text follows a closing quote
   */
  public static List<String> split(String record) {
    if (record.isEmpty()) {
      return List.of("");
    }
    try {
      return CsvReader.builder().allowUnclosedQuote(false).ofSingleCsvRecord(record).getFields();
    } catch (CsvParseException e) {
      throw new IllegalArgumentException(reason(e), e);
    }
  }

  private static String reason(CsvParseException e) {
    String message = e.getMessage() == null ? "malformed CSV" : e.getMessage();
    int where = message.indexOf(" (record starting");
    return where > 0 ? message.substring(0, where) : message;
  }

  /** One field, quoted when it holds a comma, quote or line break. */
  public static String quote(String value) {
    boolean plain = true;
    for (int i = 0; i < value.length() && plain; i++) {
      char c = value.charAt(i);
      plain = c != ',' && c != '"' && c != '\n' && c != '\r';
    }
    return plain ? value : '"' + value.replace("\"", "\"\"") + '"';
  }

  /** A line from fields, without the newline. */
  public static String join(List<String> fields) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(quote(fields.get(i)));
    }
    return line.toString();
  }
}
