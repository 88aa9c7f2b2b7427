package dev.kiln.scheduler.notify;

import dev.kiln.model.notify.NotificationKind;
import dev.kiln.model.notify.UnsubscribeToken;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a {@link Notice} into an e-mail's subject, text part and HTML part, with a link to the web
 * UI and, when a key is configured, a signed link that turns this kind of e-mail off. Stateless.
 */
final class EmailComposer {
  /** A composed e-mail. */
  record Email(String subject, String text, String html, String unsubscribeUrl) {}

  private final String publicUrl;
  private final Optional<String> unsubscribeKey;

  EmailComposer(String publicUrl, Optional<String> unsubscribeKey) {
    this.publicUrl = publicUrl;
    this.unsubscribeKey = unsubscribeKey;
  }

  Email compose(Notice message) {
    String unsubscribe =
        unsubscribeKey
            .map(
                key ->
                    publicUrl
                        + "/api/v1/notifications/unsubscribe?token="
                        + URLEncoder.encode(
                            new UnsubscribeToken(message.ownerId(), message.kind()).sign(key),
                            StandardCharsets.UTF_8))
            .orElse(null);
    // The web UI lists the account's jobs and notifications on its one page.
    String link = publicUrl + "/";
    StringBuilder text = new StringBuilder();
    text.append(message.body()).append("\n\n").append(link).append("\n");
    if (unsubscribe != null) {
      text.append("\n-- \nYou receive this because ")
          .append(reason(message.kind()))
          .append(" e-mails are on for your Kiln account. Turn them off: ")
          .append(unsubscribe)
          .append("\n");
    }
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
        .append("<h2>")
        .append(escape(message.title()))
        .append("</h2><p>")
        .append(escape(message.body()).replace("\n", "<br>"))
        .append("</p><p><a href=\"")
        .append(escape(link))
        .append("\">Open in Kiln</a></p>");
    if (unsubscribe != null) {
      html.append("<hr><p style=\"color:#666;font-size:small\">You receive this because ")
          .append(reason(message.kind()))
          .append(" e-mails are on for your Kiln account. <a href=\"")
          .append(escape(unsubscribe))
          .append("\">Turn them off</a>.</p>");
    }
    html.append("</body></html>");
    return new Email("[Kiln] " + message.title(), text.toString(), html.toString(), unsubscribe);
  }

  private static String reason(NotificationKind kind) {
    return switch (kind) {
      case JOB_SUCCEEDED -> "job success";
      case JOB_FAILED -> "job failure";
      case BUDGET_WARNING -> "budget warning";
      case BUDGET_EXCEEDED -> "budget reached";
    };
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
