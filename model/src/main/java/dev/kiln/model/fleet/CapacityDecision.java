package dev.kiln.model.fleet;

/** How many agents to run, and a sentence for the console that says why. */
public record CapacityDecision(int desiredAgents, String reason, boolean budgetCapped) {}
