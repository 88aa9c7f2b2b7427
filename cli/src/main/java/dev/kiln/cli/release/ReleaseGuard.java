package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Wraps one release step: holds the estate's {@link ReleaseLock} while it runs, remembers the last
 * progress line, and writes exactly one record, even when the process is interrupted (Ctrl-C,
 * SIGTERM): a JVM shutdown hook then records the step as ABORTED with what it was doing (for
 * example "flipped: green is live; blue stays warm for PT15M"), so nobody is left guessing which
 * colors run. Not thread-safe apart from the hook.
 */
final class ReleaseGuard implements AutoCloseable {

  private final ReleaseLock lock;
  private final Function<StepResult, Integer> recorder;
  private final String ami;
  private final AtomicReference<String> last = new AtomicReference<>("nothing changed yet");
  private final AtomicBoolean recorded = new AtomicBoolean();
  private final Thread hook;

  /**
   * @param recorder writes a record and returns the exit code
   * @param ami the image the step deploys, for the interruption record
   */
  ReleaseGuard(ReleaseLock lock, Function<StepResult, Integer> recorder, String ami) {
    this.lock = lock;
    this.recorder = recorder;
    this.ami = ami;
    this.hook = new Thread(this::interrupted, "kiln-release-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Passes progress lines on and remembers the last one. */
  Consumer<String> progress(Consumer<String> printer) {
    return line -> {
      last.set(line);
      printer.accept(line);
    };
  }

  /** Records the step's result, unless the interruption already recorded it. */
  int finish(StepResult result) {
    if (!recorded.compareAndSet(false, true)) {
      return 130;
    }
    return recorder.apply(result);
  }

  /** What the shutdown hook does: records the interruption and gives the lock back. */
  void interrupted() {
    if (recorded.compareAndSet(false, true)) {
      recorder.apply(
          new StepResult(
              Outcome.ABORTED,
              ami,
              null,
              null,
              "interrupted before it finished; last step: "
                  + last.get()
                  + " (see kiln release status, then deploy or roll back)"));
    }
    lock.close();
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs (or ran) and records the step.
    }
    lock.close();
  }
}
