package dev.kiln.model;

/** What an account may do: users reach their own data, admins also the operator API. */
public enum Role {
  USER,
  ADMIN
}
