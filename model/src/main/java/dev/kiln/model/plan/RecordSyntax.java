package dev.kiln.model.plan;

/**
 * Where records end, as a small state machine over bytes: {@link #LINES} ends a record at every
 * {@code \n}; {@link #CSV} ends it at a {@code \n} outside double quotes, by RFC 4180 (a quoted
 * field may hold commas, line breaks and {@code ""} for a quote). Immutable and thread-safe.
 *
 * <p>The CSV machine is the lenient one most parsers implement, so that the records the agent cuts
 * are the records a CSV parser sees: a quote opens a quoted field only at the start of a field; a
 * quote inside an unquoted field is an ordinary character; after a closing quote, {@code ""} is an
 * escaped quote and any other character goes on as unquoted text (the parser then reports the
 * record as malformed). Its four states are {@link #FIELD_START}, {@link #UNQUOTED}, {@link
 * #QUOTED} and {@link #QUOTE_IN_QUOTED}; only in {@code QUOTED} does a {@code \n} not end a record.
 */
public enum RecordSyntax {
  LINES(false),
  CSV(true);

  /** At the start of a field (and of a record). */
  public static final int FIELD_START = 0;

  /** Inside an unquoted field. */
  public static final int UNQUOTED = 1;

  /** Inside a quoted field. */
  public static final int QUOTED = 2;

  /** Just after a quote inside a quoted field: a closing quote, or the first of {@code ""}. */
  public static final int QUOTE_IN_QUOTED = 3;

  /** The set of all four states, as a bit set (bit {@code s} for state {@code s}). */
  public static final int ANY_STATE = 0b1111;

  /** The set holding only {@link #QUOTED}. */
  public static final int ONLY_QUOTED = 1 << QUOTED;

  private final byte[] next = new byte[4 * 256];
  private final byte[] nextSet = new byte[16 * 256];

  RecordSyntax(boolean quotes) {
    for (int state = 0; state < 4; state++) {
      for (int b = 0; b < 256; b++) {
        next[state * 256 + b] = (byte) step(quotes, state, b);
      }
    }
    for (int set = 0; set < 16; set++) {
      for (int b = 0; b < 256; b++) {
        int result = 0;
        for (int state = 0; state < 4; state++) {
          if ((set & (1 << state)) != 0) {
            result |= 1 << next[state * 256 + b];
          }
        }
        nextSet[set * 256 + b] = (byte) result;
      }
    }
  }

  private static int step(boolean quotes, int state, int b) {
    boolean quote = quotes && b == '"';
    boolean separator = b == ',' || b == '\n';
    return switch (state) {
      case FIELD_START -> quote ? QUOTED : separator ? FIELD_START : UNQUOTED;
      case UNQUOTED -> separator ? FIELD_START : UNQUOTED;
      case QUOTED -> quote ? QUOTE_IN_QUOTED : QUOTED;
      default -> quote ? QUOTED : separator ? FIELD_START : UNQUOTED;
    };
  }

  /** The state after {@code b} in {@code state}. */
  public int next(int state, byte b) {
    return next[state * 256 + (b & 0xff)];
  }

  /** The set of states after {@code b} from any state of {@code states} (a bit set). */
  public int nextSet(int states, byte b) {
    return nextSet[states * 256 + (b & 0xff)];
  }

  /** Whether a {@code \n} read in {@code state} ends a record. */
  public static boolean endsRecord(int state) {
    return state != QUOTED;
  }

  /**
   * The length of the first record of {@code bytes} without its line break (and a {@code \r} before
   * it), or -1 when the bytes hold no complete first record.
   */
  public int firstRecordLength(byte[] bytes) {
    int state = FIELD_START;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n' && endsRecord(state)) {
        return i > 0 && bytes[i - 1] == '\r' ? i - 1 : i;
      }
      state = next(state, bytes[i]);
    }
    return -1;
  }
}
