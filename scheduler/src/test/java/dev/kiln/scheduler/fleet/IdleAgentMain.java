package dev.kiln.scheduler.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for an agent process: prints its id and the names of the settings it was given on
 * standard input (as the agent reads them with {@code KILN_AGENT_SETTINGS=stdin}), then waits until
 * it is stopped.
 */
public final class IdleAgentMain {
  private IdleAgentMain() {}

  public static void main(String[] args) throws InterruptedException, IOException {
    List<String> onStdin = new ArrayList<>();
    if ("stdin".equals(System.getenv("KILN_AGENT_SETTINGS"))) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        onStdin.add(line.substring(0, line.indexOf('=')));
      }
    }
    System.out.println(
        "agent " + System.getenv("KILN_AGENT_ID") + " in " + System.getenv("KILN_AGENT_WORK_DIR"));
    System.out.println("settings on stdin: " + String.join(" ", onStdin));
    Thread.sleep(Long.MAX_VALUE);
  }
}
