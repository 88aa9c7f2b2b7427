package dev.kiln.client;

/**
 * One server-sent event as it came off the stream.
 *
 * @param id the {@code id:} field, or {@code null} when the event had none
 * @param event the {@code event:} field ({@code message} when absent)
 * @param data the {@code data:} lines joined with newlines
 */
public record ServerSentEvent(String id, String event, String data) {}
