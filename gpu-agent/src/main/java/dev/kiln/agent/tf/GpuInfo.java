package dev.kiln.agent.tf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The machine's GPU model and memory as {@code nvidia-smi} reports them. Stateless. */
public final class GpuInfo {
  private GpuInfo() {}

  /** For example {@code Tesla T4, 15360 MiB}, or {@code none} without an NVIDIA driver. */
  public static String probe() {
    try {
      Process process =
          new ProcessBuilder("nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader")
              .redirectErrorStream(true)
              .start();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "none";
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String first = out.lines().findFirst().orElse("").strip();
      return process.exitValue() == 0 && !first.isEmpty() ? first : "none";
    } catch (IOException e) {
      return "none";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "none";
    }
  }
}
