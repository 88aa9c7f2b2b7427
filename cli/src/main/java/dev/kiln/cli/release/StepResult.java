package dev.kiln.cli.release;

import dev.kiln.model.release.Outcome;

/**
 * What a deploy, rollback or rollout did.
 *
 * @param outcome how it ended
 * @param ami the image now serving (or that was refused)
 * @param from the color live before, {@code null} for the GPU tier
 * @param to the color live after, {@code null} for the GPU tier
 * @param reason a sentence for the operator
 */
public record StepResult(Outcome outcome, String ami, Color from, Color to, String reason) {}
