package dev.kiln.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demand traces, each a pure function of its seed. Sizes are log-normal around a median, as
 * uploaded files are; owners are a handful of accounts of a small team's customers.
 */
public final class Traces {
  private static final double HOUR = 3_600;
  private static final double DAY = 24 * HOUR;
  private static final long MIB = 1024L * 1024;
  private static final String GPU = ProcessorProfile.TF_SAVEDMODEL.name();
  private static final String CPU = ProcessorProfile.PARSE.name();

  private Traces() {}

  /** Every built-in trace on {@code seed}, spiky ones first. */
  public static List<Trace> all(long seed) {
    return List.of(spiky(seed), idleGaps(seed), steady(seed), diurnal(seed), hugeAmongSmall(seed));
  }

  /** A job about every 20 minutes, all day. */
  public static Trace steady(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Submission> jobs = new ArrayList<>();
    for (double at = gap(random, 20 * 60); at < DAY; at += gap(random, 20 * 60)) {
      jobs.add(job(random, at, 400 * MIB, GPU));
    }
    return new Trace("steady", "a 400 MiB job about every 20 minutes, all day", jobs, DAY);
  }

  /** Office hours: busy around 14:00, nearly nothing at night. */
  public static Trace diurnal(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Submission> jobs = new ArrayList<>();
    double peakPerHour = 8;
    for (double at = 0; at < DAY; at += 60) {
      double hour = at / HOUR;
      double rate = peakPerHour * Math.max(0, Math.cos((hour - 14) / 24 * 2 * Math.PI)) + 0.1;
      if (random.nextDouble() < rate / 60) {
        jobs.add(job(random, at + random.nextDouble(60), 400 * MIB, GPU));
      }
    }
    return new Trace(
        "diurnal", "up to 8 jobs an hour around 14:00, almost none at night", jobs, DAY);
  }

  /**
   * Bursts: a few times a day a customer's orders and uploads arrive together (20 to 40 jobs within
   * ten minutes), with a trickle of small jobs between.
   */
  public static Trace spiky(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Submission> jobs = new ArrayList<>();
    int bursts = 4;
    for (int burst = 0; burst < bursts; burst++) {
      double start = (burst + random.nextDouble(0.1, 0.7)) * DAY / bursts;
      int size = random.nextInt(20, 41);
      for (int i = 0; i < size; i++) {
        jobs.add(job(random, start + random.nextDouble(600), 600 * MIB, GPU));
      }
    }
    for (double at = gap(random, 3 * HOUR); at < DAY; at += gap(random, 3 * HOUR)) {
      jobs.add(job(random, at, 100 * MIB, GPU));
    }
    return new Trace(
        "spiky",
        "4 bursts a day of 20-40 jobs of about 600 MiB within 10 minutes, a small job every 3 h"
            + " between",
        jobs,
        DAY);
  }

  /** A day of work, then nothing for most of two days, then another burst. */
  public static Trace idleGaps(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Submission> jobs = new ArrayList<>();
    for (double start : new double[] {2 * HOUR, 30 * HOUR, 66 * HOUR}) {
      int size = random.nextInt(5, 16);
      for (int i = 0; i < size; i++) {
        jobs.add(job(random, start + random.nextDouble(2 * HOUR), 800 * MIB, GPU));
      }
    }
    return new Trace(
        "idle-gaps", "three 2-hour sessions of 5-15 jobs over 3 days, idle between", jobs, 3 * DAY);
  }

  /** Many small jobs all day and one 200 GiB job early on. */
  public static Trace hugeAmongSmall(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Submission> jobs = new ArrayList<>();
    for (double at = gap(random, 15 * 60); at < DAY; at += gap(random, 15 * 60)) {
      jobs.add(job(random, at, 50 * MIB, GPU));
    }
    jobs.add(new Submission(3 * HOUR, "bulk", 200 * 1024 * MIB, GPU));
    return new Trace(
        "huge-among-small",
        "a 50 MiB job every 15 minutes and one 200 GiB job at 03:00",
        jobs,
        DAY);
  }

  /** The spiky trace with half its jobs parsing records (CPU work) instead of inference. */
  public static Trace mixed(long seed) {
    SplittableRandom random = new SplittableRandom(seed + 1);
    List<Submission> jobs = new ArrayList<>();
    for (Submission job : spiky(seed).submissions()) {
      String processor = random.nextBoolean() ? CPU : GPU;
      long bytes = processor.equals(CPU) ? job.bytes() * 4 : job.bytes();
      jobs.add(new Submission(job.atSeconds(), job.owner(), bytes, processor));
    }
    return new Trace(
        "mixed",
        "the spiky trace with half the jobs parse (CPU) over inputs 4 times as large",
        jobs,
        DAY);
  }

  private static Submission job(SplittableRandom random, double at, long medianBytes, String p) {
    double factor = Math.exp(random.nextGaussian() * 0.8);
    String owner = "team-" + (char) ('a' + random.nextInt(5));
    return new Submission(at, owner, Math.max(MIB, Math.round(medianBytes * factor)), p);
  }

  private static double gap(SplittableRandom random, double mean) {
    return -Math.log(1 - random.nextDouble()) * mean;
  }
}
