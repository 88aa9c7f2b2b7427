package dev.kiln.simulator;

import dev.kiln.model.fleet.Accelerator;

/**
 * A machine an agent group launches, with its hourly prices in USD.
 *
 * @param name the EC2 instance type
 * @param accelerator what it offers
 * @param memoryMiB its memory
 * @param onDemandHourly the on-demand price per hour
 * @param spotHourly a typical spot price per hour
 */
public record InstanceType(
    String name, Accelerator accelerator, int memoryMiB, double onDemandHourly, double spotHourly) {
  /** The default GPU agent: on-demand in us-east-1, spot at a typical 60 % discount. */
  public static final InstanceType G4DN_XLARGE =
      new InstanceType("g4dn.xlarge", Accelerator.GPU, 16_384, 0.526, 0.2104);

  /** A cheap Graviton CPU agent for work such as {@code parse}. */
  public static final InstanceType C7G_LARGE =
      new InstanceType("c7g.large", Accelerator.CPU, 4_096, 0.0725, 0.029);

  public double hourly(boolean spot) {
    return spot ? spotHourly : onDemandHourly;
  }
}
