package dev.kiln.simulator;

import static dev.kiln.simulator.Tables.format;

import java.util.List;

/** Writes a {@link Report} as the Markdown page {@code docs/cost-simulation.md}. */
final class ReportPage {
  static final String PLOT_FILE = "cost-simulation-spiky.svg";

  private ReportPage() {}

  static String markdown(Report report) {
    StringBuilder page = new StringBuilder();
    FleetRealities real = report.realities();
    KilnPolicy.KilnParameters kiln = report.recommended();
    page.append("# What the fleet costs: the demand simulator\n\n")
        .append(
            "This page is written by `simulator/run.sh --out docs` (seed "
                + report.seed()
                + "); rerun it instead of editing the numbers. The simulator is a deterministic"
                + " discrete-event simulation: the same seed gives the same page. It drives the"
                + " model's own `CapacityPlanner` through `ScalingController`, the code the"
                + " scheduler's autoscaler runs, and plans shards with the model's"
                + " `ShardPlanner`.\n\n")
        .append("```sh\nsimulator/run.sh                     # print the tables (seed 42)\n")
        .append("simulator/run.sh --seed 7            # another seed\n")
        .append(
            "simulator/run.sh --trace jobs.csv    # a trace of your own: time,owner,bytes,processor\n")
        .append("simulator/run.sh --out docs          # rewrite this page and its plot\n```\n\n");
    page.append("## What is simulated\n\n")
        .append(
            format(
                "- **Fleet:** %s agents (one shard at a time), on-demand %.4f USD/h, spot %.4f"
                    + " USD/h; EC2 bills per second with a %.0f s minimum from launch to"
                    + " termination, boot included.\n",
                InstanceType.G4DN_XLARGE.name(),
                InstanceType.G4DN_XLARGE.onDemandHourly(),
                InstanceType.G4DN_XLARGE.spotHourly(),
                real.minimumBilledSeconds()))
        .append(
            format(
                "- **Start-up:** %.0f s boot plus %.0f s agent start (each launch +-20 %%).\n",
                real.bootSeconds(), real.agentStartSeconds()))
        .append(
            format(
                "- **Spot:** %.0f %% chance an hour that a spot instance is reclaimed; the"
                    + " rebalance recommendation comes %.0f s before, the interruption notice %.0f"
                    + " s before. On a recommendation the agent stops leasing, finishes its shard"
                    + " and leaves (the group launches a replacement); on a notice it finishes"
                    + " what fits and releases the rest. %.0f times a day the spot pool refuses"
                    + " new capacity for %.0f min; a refused group retries after %.0f s.\n",
                real.spotInterruptionsPerHour() * 100,
                real.rebalanceLeadSeconds(),
                real.noticeSeconds(),
                real.refusalsPerDay(),
                real.refusalSeconds() / 60,
                real.launchRetrySeconds()))
        .append(
            "- **Work:** `tf-savedmodel` takes about 60 s per 64 MiB shard, `parse` about 6 s"
                + " (+-15 %); the queue serves owners by fair share; each group's policy looks every"
                + " 5 s, as `fleet.interval`.\n")
        .append(
            "- **Policies:** *Kiln* (scale-in protection for busy agents, idle time before zero,"
                + " scale-up step); *always-on* (a fixed fleet); *queue-depth* (one agent per N"
                + " shards queued or running, to zero at once, no scale-in protection).\n")
        .append(
            "- **Equal p95:** each baseline is tuned to its cheapest setting whose p95 time from"
                + " submission to completion is no worse than Kiln's: always-on to the smallest"
                + " fleet, queue-depth to the most shards per agent (1 to 64). Always-on at the"
                + " fleet maximum (the peak) is shown too. Every policy uses the same spot share.\n\n");
    page.append("## Kiln against the baselines\n\n")
        .append(Tables.comparisons(report.comparisons()));
    for (Comparison comparison : report.comparisons()) {
      if (comparison.kiln().trace().equals("spiky")
          || comparison.kiln().trace().equals("idle-gaps")) {
        page.append(
            format(
                "\nOn the %s trace Kiln costs %.0f %% of the always-on fleet at equal p95 (target:"
                    + " 40 %% at most): %s.",
                comparison.kiln().trace(),
                comparison.kilnShareOfAlwaysOn() * 100,
                comparison.kilnShareOfAlwaysOn() <= 0.40 ? "met" : "not met"));
      }
    }
    page.append("\n\n![backlog, agents and spend over the spiky day](")
        .append(PLOT_FILE)
        .append(")\n\n### Every run\n\n")
        .append(Tables.results(report.allRuns()));
    page.append("\n## Parameters for a small team\n\n")
        .append(
            "Each sweep runs Kiln on the spiky trace, the other parameters held at the values"
                + " chosen so far; the recommendation (in bold) is the cheapest setting whose median"
                + " and p95 times to completion are both within 10 % of the sweep's best: the p95"
                + " is set by the bursts, the median by the small jobs between them.\n\n");
    for (ParameterSweep sweep : report.sweeps()) {
      page.append("### ").append(sweep.parameter()).append("\n\n");
      page.append(
              "| setting | cost USD | completion p50 / p95 min | first shard p50 / p95 min"
                  + " | scale events |\n")
          .append("|---|---:|---:|---:|---:|\n");
      for (int i = 0; i < sweep.settings().size(); i++) {
        Result result = sweep.results().get(i);
        String mark = i == sweep.recommended() ? "**" : "";
        page.append(
            format(
                "| %s%s%s | %.2f | %s / %s | %s / %s | %d |\n",
                mark,
                sweep.settings().get(i),
                mark,
                result.costUsd(),
                Tables.minutes(result.completionP50()),
                Tables.minutes(result.completionP95()),
                Tables.minutes(result.waitFirstP50()),
                Tables.minutes(result.waitFirstP95()),
                result.scaleEvents()));
      }
      page.append("\n");
    }
    page.append(
        "An idle time only shortens the wait of a job that arrives within it of the last one; on"
            + " spiky demand the quiet hours are far longer than any idle time, so it is paid for"
            + " and never used. Keep a few minutes instead of zero where jobs come in trickles"
            + " minutes apart (the steady trace), to spare each one a boot.\n\n");
    page.append("Recommended for a small team, in the scheduler's `fleet` section:\n\n```yaml\n")
        .append("fleet:\n")
        .append(format("  idleBeforeZero: %ds\n", kiln.idleBeforeZeroSeconds()))
        .append(
            format(
                "  scaleUpStep: %d          # 0: grow as far as the backlog asks\n",
                kiln.scaleUpStep()))
        .append(format("  maxAgents: %d\n", kiln.maxAgents()))
        .append(format("  targetDrain: %ds\n```\n\n", kiln.targetDrainSeconds()))
        .append(
            format(
                "and a spot share of %.0f %% in the agent group (the Auto Scaling group's"
                    + " on-demand percentage above base capacity: %.0f).\n\n",
                report.recommendedSpotShare() * 100, (1 - report.recommendedSpotShare()) * 100));
    page.append("## The right machine per processor\n\n")
        .append(
            "The mixed trace sends half the jobs to `parse` (CPU only). With one GPU group every"
                + " shard runs on a GPU instance; with a CPU group beside it, `parse` runs on"
                + " Graviton spot machines and each group is sized from its own backlog, to zero"
                + " when idle.\n\n")
        .append(Tables.results(List.of(report.mixedOneGroup(), report.mixedTwoGroups())))
        .append(
            format(
                "\nA CPU group saves %.0f %% of the mixed trace's bill.\n",
                (1 - report.mixedTwoGroups().costUsd() / report.mixedOneGroup().costUsd()) * 100));
    return page.toString();
  }
}
