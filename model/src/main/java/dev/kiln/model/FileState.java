package dev.kiln.model;

/** An uploaded file: {@code PENDING} until the upload is completed and checked. */
public enum FileState {
  PENDING,
  READY;

  public boolean canMoveTo(FileState next) {
    return this == PENDING && next == READY;
  }
}
