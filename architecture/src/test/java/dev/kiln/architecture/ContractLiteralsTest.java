package dev.kiln.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every contract between processes is spelt once (see docs/architecture.md, "Contracts"). */
class ContractLiteralsTest {
  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

  @Test
  void noContractIsSpeltTwiceInTheRepository() {
    assertThat(ContractLiterals.scan(REPOSITORY)).isEmpty();
  }

  @Test
  void aTestThatSpellsAKeyAStateOrAnEventAgainIsCaught(@TempDir Path root) throws IOException {
    Path test = root.resolve("scheduler/src/test/java/dev/kiln/scheduler/CopyIT.java");
    Files.createDirectories(test.getParent());
    Files.writeString(
        test,
        String.join(
            "\n",
            "class CopyIT {",
            "  static final String TOPIC = \"kiln:jobs:submitted\";",
            "  static final String SQL = \"update jobs set state = 'RUNNING'\";",
            "  static final String TYPE = \"job.cancelled\";",
            "}"));
    Path migration = root.resolve("db/src/main/resources/db/migration/V1__schema.sql");
    Files.createDirectories(migration.getParent());
    Files.writeString(migration, "check (state in ('QUEUED', 'DONE'))");

    assertThat(ContractLiterals.scan(root))
        .extracting(ContractLiterals.Violation::line)
        .containsExactly(2, 3, 4);
  }
}
