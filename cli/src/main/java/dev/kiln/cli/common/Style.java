package dev.kiln.cli.common;

import dev.kiln.model.FileState;
import dev.kiln.model.JobState;

/** ANSI colours, or plain text when colour is off (not a terminal, or NO_COLOR set). */
public record Style(boolean colour) {

  public String bold(String text) {
    return wrap("1", text);
  }

  public String green(String text) {
    return wrap("32", text);
  }

  public String red(String text) {
    return wrap("31", text);
  }

  public String yellow(String text) {
    return wrap("33", text);
  }

  public String dim(String text) {
    return wrap("2", text);
  }

  /** A job or file state coloured by how it went. */
  public String state(String state) {
    if (JobState.SUCCEEDED.name().equals(state) || FileState.READY.name().equals(state)) {
      return green(state);
    }
    if (JobState.FAILED.name().equals(state)) {
      return red(state);
    }
    if (JobState.CANCELLED.name().equals(state)) {
      return yellow(state);
    }
    return state;
  }

  private String wrap(String code, String text) {
    return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
  }
}
