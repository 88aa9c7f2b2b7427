package dev.kiln.core;

/** Placeholder. */
public final class Probe {}
