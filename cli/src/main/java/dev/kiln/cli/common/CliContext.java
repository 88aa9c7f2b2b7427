package dev.kiln.cli.common;

import dev.kiln.client.KilnClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a command runs with: the environment, the standard streams and whether they are terminals,
 * the global options and a clock. Tests build one with their own streams and environment. Not
 * thread-safe.
 */
public final class CliContext {
  /** Where {@code ./kiln up} listens; the URL of a profile that names none. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8080";

  private final Map<String, String> env;
  private final InputStream in;
  private final OutputStream stdout;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean stdoutTerminal;
  private final boolean stderrTerminal;
  private final Clock clock;
  private final GlobalOptions options = new GlobalOptions();

  public CliContext(
      Map<String, String> env,
      InputStream in,
      OutputStream stdout,
      OutputStream stderr,
      boolean stdoutTerminal,
      boolean stderrTerminal,
      Clock clock) {
    this.env = Map.copyOf(env);
    this.in = in;
    this.stdout = stdout;
    this.out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    this.stdoutTerminal = stdoutTerminal;
    this.stderrTerminal = stderrTerminal;
    this.clock = clock;
  }

  /**
   * This process's environment and standard streams. Java sees a console only when stdin and stdout
   * both are terminals, so the installed launcher says which of stdout and stderr are, in {@code
   * kiln.stdout.tty} and {@code kiln.stderr.tty}.
   */
  public static CliContext system() {
    boolean console = System.console() != null;
    return new CliContext(
        System.getenv(),
        System.in,
        System.out,
        System.err,
        terminal("kiln.stdout.tty", console),
        terminal("kiln.stderr.tty", console),
        Clock.systemUTC());
  }

  private static boolean terminal(String property, boolean otherwise) {
    String told = System.getProperty(property);
    return told == null ? otherwise : Boolean.parseBoolean(told);
  }

  public String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  public InputStream in() {
    return in;
  }

  /** Standard output for bytes (a download to {@code -}); flush {@link #out()} first. */
  public OutputStream stdout() {
    out.flush();
    return stdout;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Clock clock() {
    return clock;
  }

  public GlobalOptions options() {
    return options;
  }

  /** Colour and progress bars go to stderr only when it is a terminal and NO_COLOR is unset. */
  public Style style() {
    return new Style(stdoutTerminal && env("NO_COLOR") == null);
  }

  public boolean stderrTerminal() {
    return stderrTerminal;
  }

  public Output output() {
    return new Output(out, options.output(), style());
  }

  private Path home() {
    String home = env("HOME");
    return Path.of(home == null ? System.getProperty("user.home") : home);
  }

  /** {@code $XDG_CONFIG_HOME/kiln}, else {@code ~/.config/kiln}. */
  public Path configDir() {
    String xdg = env("XDG_CONFIG_HOME");
    return (xdg == null ? home().resolve(".config") : Path.of(xdg)).resolve("kiln");
  }

  /** {@code $XDG_STATE_HOME/kiln}, else {@code ~/.local/state/kiln}: unfinished uploads. */
  public Path stateDir() {
    String xdg = env("XDG_STATE_HOME");
    return (xdg == null ? home().resolve(".local").resolve("state") : Path.of(xdg)).resolve("kiln");
  }

  public Profiles profiles() {
    return new Profiles(configDir());
  }

  /** The profile's name: {@code --profile}, else {@code $KILN_PROFILE}, else {@code default}. */
  public String profileName() {
    if (options.profile() != null) {
      return options.profile();
    }
    String fromEnv = env("KILN_PROFILE");
    return fromEnv == null ? "default" : fromEnv;
  }

  /** The API's URL: {@code $KILN_URL}, else the profile's, else {@link #DEFAULT_URL}. */
  public URI url() {
    String fromEnv = env("KILN_URL");
    if (fromEnv != null) {
      return URI.create(fromEnv);
    }
    Profile profile = profiles().get(profileName());
    return URI.create(profile == null || profile.url() == null ? DEFAULT_URL : profile.url());
  }

  /** The credential: {@code $KILN_API_KEY}, else the profile's; {@code null} when neither. */
  public String credential() {
    String fromEnv = env("KILN_API_KEY");
    if (fromEnv != null) {
      return fromEnv;
    }
    Profile profile = profiles().get(profileName());
    return profile == null ? null : profile.apiKey();
  }

  /** A client with the credential; fails with {@link ExitCodes#AUTH} when there is none. */
  public KilnClient client() {
    String credential = credential();
    if (credential == null) {
      throw new CliException(
          ExitCodes.AUTH,
          "not logged in"
              + (profileName().equals("default") ? "" : " with profile '" + profileName() + "'")
              + ": run kiln login (or set KILN_API_KEY)");
    }
    return new KilnClient(url(), credential);
  }
}
