package dev.kiln.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfilesTest {

  @Test
  void keepsProfilesByNameInAFileOnlyItsOwnerReads(@TempDir Path config) throws Exception {
    Profiles profiles = new Profiles(config.resolve("kiln"));
    UUID keyId = UUID.randomUUID();
    profiles.put("default", new Profile("http://a", "ada@example.com", "kiln_a", keyId));
    profiles.put("prod", new Profile("https://b", "ada@example.com", "kiln_b", null));

    Profiles again = new Profiles(config.resolve("kiln"));
    assertThat(again.get("default"))
        .isEqualTo(new Profile("http://a", "ada@example.com", "kiln_a", keyId));
    assertThat(again.all()).containsOnlyKeys("default", "prod");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(again.file())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config.resolve("kiln"))))
        .isEqualTo("rwx------");

    assertThat(again.remove("prod")).isTrue();
    assertThat(again.remove("prod")).isFalse();
    assertThat(new Profiles(config.resolve("kiln")).all()).containsOnlyKeys("default");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(again.file())))
        .isEqualTo("rw-------");
  }

  @Test
  void aDamagedFileIsNamedWithWhatToDo(@TempDir Path config) throws Exception {
    Files.createDirectories(config.resolve("kiln"));
    Files.writeString(config.resolve("kiln").resolve(Profiles.FILE_NAME), "{not json");
    Profiles profiles = new Profiles(config.resolve("kiln"));
    org.assertj.core.api.Assertions.assertThatThrownBy(profiles::all)
        .isInstanceOfSatisfying(
            CliException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(ExitCodes.GENERAL);
              assertThat(e.getMessage()).contains("fix or delete it");
            });
  }
}
