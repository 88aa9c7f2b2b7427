/**
 * Telling owners how their jobs ended, driven by the outbox events the earlier stages write: {@link
 * dev.kiln.scheduler.notify.OutboxNotifier} decides, in one transaction per event, which webhook
 * deliveries, in-app notifications and e-mails an event becomes; {@link
 * dev.kiln.scheduler.notify.WebhookDeliverer} posts signed webhooks with retries and {@link
 * dev.kiln.scheduler.notify.MailSender} sends the e-mails. {@link
 * dev.kiln.scheduler.notify.Notifier} runs the three on the leader.
 */
package dev.kiln.scheduler.notify;
