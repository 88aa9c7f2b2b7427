package dev.kiln.cli.common;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The options every command takes, before or after its name. Set once per run. */
public final class GlobalOptions {

  /** How results are printed. */
  public enum Format {
    table,
    json
  }

  @Option(
      names = "--profile",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Profile to use (default: $KILN_PROFILE, else 'default').")
  String profile;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "table (for people) or json (stable, for scripts). Default: table.")
  Format output;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of a failure.")
  boolean debug;

  public String profile() {
    return profile;
  }

  public Format output() {
    return output == null ? Format.table : output;
  }

  public boolean debug() {
    return debug;
  }
}
