package dev.kiln.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kiln completion}: the shell completion script picocli generates from the commands. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print the bash/zsh completion script.",
      "Load it with: source <(kiln completion)  (zsh: autoload -U bashcompinit; bashcompinit first)"
    })
final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().getOut().print(AutoComplete.bash("kiln", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
  }
}
