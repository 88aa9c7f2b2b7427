package dev.kiln.cli.common;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * The saved logins, by profile name, in {@code credentials.json} of the config directory ({@code
 * $XDG_CONFIG_HOME/kiln}, else {@code ~/.config/kiln}). The file is created readable and writable
 * by its owner only (0600) and replaced atomically. Not thread-safe.
 */
public final class Profiles {
  public static final String FILE_NAME = "credentials.json";

  private final Path file;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Profiles(Path configDir) {
    this.file = configDir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  public Map<String, Profile> all() {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      return new TreeMap<>(
          json.readValue(file.toFile(), new TypeReference<Map<String, Profile>>() {}));
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.GENERAL,
          file
              + " cannot be read ("
              + Failures.firstLine(String.valueOf(e.getMessage()))
              + "); fix or delete it and log in again");
    }
  }

  public Profile get(String name) {
    return all().get(name);
  }

  public void put(String name, Profile profile) {
    Map<String, Profile> profiles = all();
    profiles.put(name, profile);
    write(profiles);
  }

  /** Forgets a profile; answers whether there was one. */
  public boolean remove(String name) {
    Map<String, Profile> profiles = all();
    boolean removed = profiles.remove(name) != null;
    if (removed) {
      write(profiles);
    }
    return removed;
  }

  private void write(Map<String, Profile> profiles) {
    try {
      Path dir = file.getParent();
      createPrivateDirectory(dir);
      Path temporary = dir.resolve(FILE_NAME + ".tmp");
      Files.deleteIfExists(temporary);
      createPrivateFile(temporary);
      Files.write(temporary, json.writeValueAsBytes(profiles));
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.GENERAL, "cannot save the login in " + file + ": " + e.getMessage(), e);
    }
  }

  static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(dir);
    }
  }

  private static void createPrivateFile(Path path) throws IOException {
    try {
      if (posix(path.getParent())) {
        Files.createFile(
            path,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(path);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException(path + " appeared while it was written; try again", e);
    }
  }

  private static boolean posix(Path path) throws IOException {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
  }
}
