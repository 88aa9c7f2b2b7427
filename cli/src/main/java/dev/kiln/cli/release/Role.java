package dev.kiln.cli.release;

/**
 * The kinds of image Kiln bakes and releases: the web tier (API server and scheduler), and the two
 * agent groups, GPU and CPU.
 */
enum Role {
  web,
  gpu,
  cpu
}
