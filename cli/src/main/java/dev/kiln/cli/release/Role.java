package dev.kiln.cli.release;

/** The two kinds of image Kiln bakes and releases. */
enum Role {
  web,
  gpu
}
