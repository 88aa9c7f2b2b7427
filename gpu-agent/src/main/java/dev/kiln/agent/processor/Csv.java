package dev.kiln.agent.processor;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits and writes one CSV line by RFC 4180 (comma separator, double-quote quoting, {@code ""} for
 * a quote inside quotes). Records never span lines here: inputs with quoted newlines run with
 * {@code split=none}. Stateless.
 */
public final class Csv {
  private Csv() {}

  /**
   * The fields of one line.
   *
   * @throws IllegalArgumentException when a quote is not closed or text follows a closing quote
   */
  public static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      field.setLength(0);
      if (i < n && line.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unclosed quote");
          }
          char c = line.charAt(i++);
          if (c == '"') {
            if (i < n && line.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && line.charAt(i) != ',') {
          throw new IllegalArgumentException("text after a closing quote at character " + (i + 1));
        }
      } else {
        int comma = line.indexOf(',', i);
        int stop = comma < 0 ? n : comma;
        field.append(line, i, stop);
        i = stop;
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++; // the comma
      if (i == n) {
        fields.add("");
        return fields;
      }
    }
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
