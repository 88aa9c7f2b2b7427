package dev.kiln.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static final long SEED = 42;

  private static Scenario spiky(long seed) {
    return new Scenario(
        Traces.spiky(seed),
        FleetRealities.EC2,
        InstanceType.G4DN_XLARGE,
        0.8,
        KilnPolicy.KilnParameters.DEFAULTS,
        seed);
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnotherOne() {
    Result first = spiky(SEED).run(new KilnPolicy(KilnPolicy.KilnParameters.DEFAULTS));
    Result again = spiky(SEED).run(new KilnPolicy(KilnPolicy.KilnParameters.DEFAULTS));
    Result other = spiky(7).run(new KilnPolicy(KilnPolicy.KilnParameters.DEFAULTS));
    assertThat(again).isEqualTo(first);
    assertThat(other.costUsd()).isNotEqualTo(first.costUsd());
    assertThat(Traces.spiky(SEED)).isEqualTo(Traces.spiky(SEED));
  }

  @Test
  void everyJobFinishesDespiteSpotInterruptionsAndRefusedLaunches() {
    FleetRealities rough = new FleetRealities(70, 40, 2.0, 120, 600, 6, 1_800, 60, 60);
    Scenario scenario =
        new Scenario(
            Traces.steady(SEED),
            rough,
            InstanceType.G4DN_XLARGE,
            0.8,
            KilnPolicy.KilnParameters.DEFAULTS,
            SEED);
    Result result = scenario.run(new KilnPolicy(KilnPolicy.KilnParameters.DEFAULTS));
    assertThat(result.jobsDone()).isEqualTo(result.jobs()).isPositive();
    assertThat(result.interruptions()).isPositive();
    assertThat(result.refusedLaunches()).isPositive();
    assertThat(result.spotUsd()).isPositive();
    assertThat(result.onDemandUsd()).isPositive();
    assertThat(result.costUsd()).isEqualTo(result.spotUsd() + result.onDemandUsd());
    assertThat(result.utilisation()).isBetween(0.0, 1.0);
    assertThat(result.waitFirstP95()).isLessThanOrEqualTo(result.completionP95());
  }

  @Test
  void anIdleKilnFleetCostsNothingWhileAnAlwaysOnFleetPaysAllDay() {
    Trace empty = new Trace("empty", "no demand", List.of(), 86_400);
    Scenario scenario = spiky(SEED);
    Scenario idle =
        new Scenario(empty, FleetRealities.CALM, scenario.instanceType(), 0, scenario.kiln(), SEED);
    assertThat(idle.run(new KilnPolicy(scenario.kiln())).costUsd()).isZero();
    assertThat(idle.run(new AlwaysOnPolicy(2)).costUsd())
        .isCloseTo(2 * 24 * InstanceType.G4DN_XLARGE.onDemandHourly(), within(0.01));
  }

  @Test
  void onTheSpikyTracesKilnCostsAtMostFortyPercentOfAlwaysOnAtEqualP95() {
    for (long seed : new long[] {42, 7}) {
      Comparison comparison = Comparison.of(spiky(seed));
      assertThat(comparison.alwaysOn().completionP95())
          .isLessThanOrEqualTo(comparison.kiln().completionP95());
      assertThat(comparison.kiln().costUsd())
          .isLessThan(comparison.alwaysOn().costUsd())
          .isLessThan(comparison.alwaysOnPeak().costUsd());
      assertThat(comparison.alwaysOn().costUsd())
          .isLessThanOrEqualTo(comparison.alwaysOnPeak().costUsd());
      assertThat(comparison.kilnShareOfAlwaysOn()).isLessThanOrEqualTo(0.40);
    }
  }

  @Test
  void aCpuGroupBesideTheGpuGroupMakesTheMixedTraceCheaper() {
    Trace mixed = Traces.mixed(SEED);
    KilnPolicy.KilnParameters kiln = KilnPolicy.KilnParameters.DEFAULTS;
    GroupSpec gpu = new GroupSpec("gpu", InstanceType.G4DN_XLARGE, 0.8, () -> new KilnPolicy(kiln));
    GroupSpec cpu = new GroupSpec("cpu", InstanceType.C7G_LARGE, 0.8, () -> new KilnPolicy(kiln));
    Result one = new Simulation(mixed, List.of(gpu), FleetRealities.EC2, SEED).run();
    Result two = new Simulation(mixed, List.of(gpu, cpu), FleetRealities.EC2, SEED).run();
    assertThat(two.jobsDone()).isEqualTo(two.jobs());
    assertThat(two.costUsd()).isLessThan(one.costUsd());
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(offset);
  }
}
