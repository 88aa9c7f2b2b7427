package dev.kiln.model.plan;

/** One line-delimited record: its byte offset in the input and its text without the newline. */
public record LineRecord(long offset, String text) {}
