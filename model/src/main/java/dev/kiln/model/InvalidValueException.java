package dev.kiln.model;

/**
 * A value that a person or a client sent and Kiln cannot take. The message names the field and says
 * what to send instead; the API answers it as a {@code 422} problem.
 */
public class InvalidValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidValueException(String detail) {
    super(detail);
  }
}
