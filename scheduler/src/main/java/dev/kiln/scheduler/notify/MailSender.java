package dev.kiln.scheduler.notify;

import dev.kiln.model.notify.DeliverySchedule;
import dev.kiln.model.notify.NotificationSettings.Smtp;
import dev.kiln.scheduler.leader.LeaderOnlyPoller.Pass;
import dev.kiln.scheduler.leader.Leadership;
import dev.kiln.scheduler.notify.NotifyDao.DueEmail;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.DoubleSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Sends the e-mails the notify stage decided on over SMTP (STARTTLS and a login when configured, as
 * AWS SES's SMTP endpoint wants), each with a text and an HTML part and, when it has one, the
 * {@code List-Unsubscribe} headers of RFC 8058. A failed send is tried again on the webhook
 * schedule. Used by one poller thread.
 */
public final class MailSender {
  private static final int BATCH = 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Jdbi jdbi;
  private final Smtp smtp;
  private final Session session;
  private final DeliverySchedule schedule;
  private final Leadership leadership;
  private final Clock clock;
  private final DoubleSupplier random;

  public MailSender(
      Jdbi jdbi,
      Smtp smtp,
      DeliverySchedule schedule,
      Leadership leadership,
      Clock clock,
      DoubleSupplier random) {
    this.jdbi = jdbi;
    this.smtp = smtp;
    this.session = Session.getInstance(properties(smtp));
    this.schedule = schedule;
    this.leadership = leadership;
    this.clock = clock;
    this.random = random;
  }

  private static Properties properties(Smtp smtp) {
    Properties properties = new Properties();
    properties.put("mail.transport.protocol", "smtp");
    properties.put("mail.smtp.host", smtp.host());
    properties.put("mail.smtp.port", Integer.toString(smtp.port()));
    properties.put("mail.smtp.auth", Boolean.toString(!smtp.username().isBlank()));
    properties.put("mail.smtp.starttls.enable", Boolean.toString(smtp.startTls()));
    properties.put("mail.smtp.starttls.required", Boolean.toString(smtp.startTls()));
    properties.put("mail.smtp.connectiontimeout", Long.toString(TIMEOUT.toMillis()));
    properties.put("mail.smtp.timeout", Long.toString(TIMEOUT.toMillis()));
    properties.put("mail.smtp.writetimeout", Long.toString(TIMEOUT.toMillis()));
    return properties;
  }

  /** Sends one batch of due e-mails; idle when no e-mail waits, now or later. */
  public Pass sendDue() {
    NotifyDao dao = jdbi.onDemand(NotifyDao.class);
    List<DueEmail> due = dao.dueEmails(clock.instant(), BATCH);
    if (due.isEmpty()) {
      return dao.emailsPending() ? Pass.DONE : Pass.IDLE;
    }
    for (DueEmail email : due) {
      Optional<String> error = send(email);
      boolean interrupted = Thread.interrupted();
      try {
        record(email, error);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (interrupted) {
        return Pass.DONE;
      }
    }
    return Pass.of(due.size() == BATCH);
  }

  private Optional<String> send(DueEmail email) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(smtp.from()));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress(email.recipient()));
      message.setSubject(email.subject(), StandardCharsets.UTF_8.name());
      message.setSentDate(Date.from(clock.instant()));
      if (email.unsubscribeUrl() != null) {
        message.setHeader("List-Unsubscribe", "<" + email.unsubscribeUrl() + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      }
      MimeBodyPart text = new MimeBodyPart();
      text.setText(email.textBody(), StandardCharsets.UTF_8.name(), "plain");
      MimeBodyPart html = new MimeBodyPart();
      html.setText(email.htmlBody(), StandardCharsets.UTF_8.name(), "html");
      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      message.setContent(alternative);
      message.saveChanges();
      try (Transport transport = session.getTransport("smtp")) {
        if (smtp.username().isBlank()) {
          transport.connect();
        } else {
          transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
        }
        transport.sendMessage(message, message.getAllRecipients());
      }
      return Optional.empty();
    } catch (MessagingException | RuntimeException e) {
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void record(DueEmail email, Optional<String> error) {
    Instant now = clock.instant();
    jdbi.useTransaction(
        handle -> {
          leadership.fence(handle);
          NotifyDao dao = handle.attach(NotifyDao.class);
          if (error.isEmpty()) {
            dao.emailSent(email.id(), now);
            return;
          }
          Optional<Instant> next =
              schedule.nextAttempt(
                  email.createdAt(), email.attempts() + 1, now, random.getAsDouble());
          if (next.isPresent()) {
            dao.emailRetryAt(email.id(), next.get(), error.get());
          } else {
            dao.emailGaveUp(email.id(), error.get());
          }
        });
  }
}
