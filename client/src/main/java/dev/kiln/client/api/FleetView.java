package dev.kiln.client.api;

import dev.kiln.model.fleet.AgentStatus;
import dev.kiln.model.fleet.FleetDecision;
import java.util.List;

/**
 * The fleet as the operator console shows it.
 *
 * @param decision the autoscaler's latest decision; {@code null} when none was published (no
 *     scheduler with a fleet has run yet)
 * @param decisionAgeSeconds how old the decision is; a large value means the autoscaler stopped
 * @param budgetCapped true when the global monthly budget keeps the fleet from growing
 * @param budgetNotice the sentence the console shows when {@code budgetCapped}, else {@code null}
 * @param agents the agents whose status has not expired, by agent id
 */
public record FleetView(
    FleetDecision decision,
    Long decisionAgeSeconds,
    boolean budgetCapped,
    String budgetNotice,
    List<AgentStatus> agents) {}
