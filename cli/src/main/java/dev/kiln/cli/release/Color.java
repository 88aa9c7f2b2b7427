package dev.kiln.cli.release;

import java.util.Locale;

/** The two web colors: one serves users, the other is idle or warm for a rollback. */
public enum Color {
  BLUE,
  GREEN;

  public Color other() {
    return this == BLUE ? GREEN : BLUE;
  }

  /** The lower-case name used in resource names and release records. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
