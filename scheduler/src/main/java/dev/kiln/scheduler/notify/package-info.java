/**
 * Telling owners how their jobs ended: signed webhooks, e-mail and the live event stream the web UI
 * listens to, driven by the outbox events ({@code job.succeeded}, {@code job.failed}, ...) that the
 * earlier stages write. Notifications of job outcomes land here; nothing is sent yet.
 */
package dev.kiln.scheduler.notify;
