package dev.kiln.cli.common;

import dev.kiln.client.KilnApiException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns whatever a command threw into one line for a person and an exit code. Stateless. */
public final class Failures {
  private Failures() {}

  /** The exit code and the line to print. */
  public record Verdict(int exitCode, String message) {}

  public static Verdict of(Throwable thrown) {
    if (thrown instanceof CliException cli) {
      return new Verdict(cli.exitCode(), cli.getMessage());
    }
    if (thrown instanceof KilnApiException api) {
      return new Verdict(codeOf(api.status()), detailOf(api));
    }
    Throwable network = networkCause(thrown);
    if (network != null) {
      return new Verdict(ExitCodes.NETWORK, networkMessage(network));
    }
    if (thrown instanceof UncheckedIOException unchecked) {
      return of(unchecked.getCause());
    }
    if (thrown instanceof NoSuchFileException missing) {
      return new Verdict(ExitCodes.GENERAL, "no such file: " + missing.getFile());
    }
    if (thrown instanceof AccessDeniedException denied) {
      return new Verdict(ExitCodes.GENERAL, "permission denied: " + denied.getFile());
    }
    if (thrown instanceof FileNotFoundException missing) {
      return new Verdict(ExitCodes.GENERAL, firstLine(missing.getMessage()));
    }
    String message = thrown.getMessage();
    if (message != null && message.startsWith("Unable to load credentials")) {
      // Only kiln release uses AWS, and its 4 means "the record could not be written".
      return new Verdict(
          ExitCodes.GENERAL,
          "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY (aws configure writes them)");
    }
    if (message != null && message.startsWith("Unable to load region")) {
      return new Verdict(ExitCodes.USAGE, "no AWS region: pass --region or set AWS_REGION");
    }
    String text =
        message == null || message.isBlank() ? thrown.getClass().getSimpleName() : message;
    return new Verdict(ExitCodes.GENERAL, firstLine(text));
  }

  static int codeOf(int status) {
    return switch (status) {
      case 401, 403 -> ExitCodes.AUTH;
      case 404, 410 -> ExitCodes.NOT_FOUND;
      case 502, 503, 504 -> ExitCodes.NETWORK;
      default -> ExitCodes.GENERAL;
    };
  }

  private static String detailOf(KilnApiException api) {
    if (api.problem() != null && api.problem().detail() != null) {
      return api.problem().detail();
    }
    if (api.problem() != null && api.problem().title() != null) {
      return api.problem().title() + " (HTTP " + api.status() + ")";
    }
    return firstLine(api.getMessage());
  }

  private static Throwable networkCause(Throwable thrown) {
    for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof HttpConnectTimeoutException
          || cause instanceof UnknownHostException
          || cause instanceof UnresolvedAddressException
          || cause instanceof java.net.SocketException
          || (cause instanceof IOException io
              && io.getMessage() != null
              && io.getMessage().contains("closed"))) {
        return cause;
      }
      if (cause instanceof HttpTimeoutException) {
        return cause;
      }
    }
    return null;
  }

  private static String networkMessage(Throwable cause) {
    if (cause instanceof ConnectException
        || cause instanceof UnresolvedAddressException
        || cause instanceof UnknownHostException) {
      return "cannot reach the Kiln API"
          + (cause.getMessage() == null ? "" : " (" + firstLine(cause.getMessage()) + ")")
          + "; is it running, and is the URL right? (kiln whoami shows it; KILN_URL overrides it)";
    }
    if (cause instanceof HttpTimeoutException) {
      return "the Kiln API did not answer in time; try again";
    }
    return "the connection dropped ("
        + firstLine(String.valueOf(cause.getMessage()))
        + "); run the command again";
  }

  static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline).strip();
  }
}
