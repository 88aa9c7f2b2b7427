package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelZipTest {
  private static final ModelZip.Limits LIMITS = ModelZip.Limits.DEFAULT;

  @TempDir Path dir;

  static byte[] zip(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void unpacksAndMarksComplete() throws IOException {
    Path target = dir.resolve("m");
    ModelZip.unpack(
        new ByteArrayInputStream(zip("model/saved_model.pb", "pb", "model/variables/v", "x")),
        target,
        LIMITS);
    assertThat(target.resolve("model/saved_model.pb")).hasContent("pb");
    assertThat(target.resolve(".complete")).exists();
  }

  @Test
  void refusesWhatIsNotAZipAndPathsOutsideTheModel() throws IOException {
    assertThatThrownBy(
            () ->
                ModelZip.unpack(
                    new ByteArrayInputStream("not a zip at all".getBytes()),
                    dir.resolve("a"),
                    LIMITS))
        .isInstanceOf(ZipException.class);
    assertThatThrownBy(
            () ->
                ModelZip.unpack(
                    new ByteArrayInputStream(zip("../evil", "x")), dir.resolve("b"), LIMITS))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("outside");
    assertThat(Files.exists(dir.resolve("evil"))).isFalse();
    assertThat(dir.resolve("a/.complete")).doesNotExist();
  }

  @Test
  void failedUnpacksLeaveNothingBehind() throws IOException {
    assertThatThrownBy(
            () ->
                ModelZip.unpack(
                    new ByteArrayInputStream(zip("ok", "x", "../evil", "x")),
                    dir.resolve("c"),
                    LIMITS))
        .isInstanceOf(ZipException.class);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void keepsTheCompleteModelAnotherProcessPutInPlace() throws IOException {
    Path target = dir.resolve("m");
    Files.createDirectories(target);
    Files.writeString(target.resolve("saved_model.pb"), "theirs");
    Files.createFile(target.resolve(".complete"));

    ModelZip.unpack(new ByteArrayInputStream(zip("saved_model.pb", "mine")), target, LIMITS);

    assertThat(target.resolve("saved_model.pb")).hasContent("theirs");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void replacesAnIncompleteLeftover() throws IOException {
    Path target = dir.resolve("m");
    Files.createDirectories(target.resolve("variables"));
    Files.writeString(target.resolve("variables/half"), "x");

    ModelZip.unpack(new ByteArrayInputStream(zip("saved_model.pb", "pb")), target, LIMITS);

    assertThat(target.resolve("saved_model.pb")).hasContent("pb");
    assertThat(target.resolve(".complete")).exists();
    assertThat(target.resolve("variables")).doesNotExist();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  @Test
  void concurrentUnpacksOfOneModelAllSucceedAndNeverRemoveIt() throws Exception {
    Path target = dir.resolve("m");
    byte[] model = zip("saved_model.pb", "pb", "variables/v", "x".repeat(100_000));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        runs.add(
            pool.submit(
                () -> {
                  ModelZip.unpack(new ByteArrayInputStream(model), target, LIMITS);
                  // once unpack returns, the model must be there whole
                  return Files.exists(target.resolve(".complete"))
                      && Files.size(target.resolve("variables/v")) == 100_000;
                }));
      }
      for (Future<Boolean> run : runs) {
        assertThat(run.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).containsExactly(target);
    }
  }

  /** A zip of one entry of {@code bytes} zeros: deflate packs about 1,000 zeros per byte. */
  static byte[] zeros(String name, int bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(name));
      byte[] chunk = new byte[1 << 20];
      for (int left = bytes; left > 0; left -= chunk.length) {
        zip.write(chunk, 0, Math.min(left, chunk.length));
      }
      zip.closeEntry();
    }
    return out.toByteArray();
  }

  /** A stream that counts what was read from it. */
  static final class Source extends ByteArrayInputStream {
    Source(byte[] bytes) {
      super(bytes);
    }

    int consumed() {
      return pos;
    }
  }

  @Test
  void aDeflateBombStopsAtTheLimitWhileItStreamsNotAfterItsEntryIsWritten() throws IOException {
    byte[] bomb = zeros("variables/variables.data-00000-of-00001", 64 << 20);
    Source source = new Source(bomb);
    ModelZip.Limits limits = new ModelZip.Limits(1 << 20, 100, 1_000_000, 0);

    assertThatThrownBy(() -> ModelZip.unpack(source, dir.resolve("m"), limits))
        .isInstanceOf(ModelZip.LimitExceeded.class)
        .hasMessageContaining("more than 1048576 bytes");

    // the first MiB unpacks from about 1 KiB: the rest of the 64 MiB entry was never inflated
    assertThat(source.consumed()).isLessThan(bomb.length / 4);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void aZipThatUnpacksFarBeyondItsSizeIsRefusedPastTheFreeAllowance() throws IOException {
    byte[] bomb = zeros("saved_model.pb", 32 << 20);
    Source source = new Source(bomb);
    ModelZip.Limits limits = new ModelZip.Limits(1L << 30, 100, 100, 1 << 20);

    assertThatThrownBy(() -> ModelZip.unpack(source, dir.resolve("m"), limits))
        .isInstanceOf(ModelZip.LimitExceeded.class)
        .hasMessageContaining("more than 100 times its size");
    assertThat(source.consumed()).isLessThan(bomb.length / 4);

    // weights compress hardly at all: the same limits let 4 MiB of random bytes through
    byte[] weights = new byte[4 << 20];
    new java.util.Random(7).nextBytes(weights);
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(model)) {
      zip.putNextEntry(new ZipEntry("variables/variables.data-00000-of-00001"));
      zip.write(weights);
      zip.closeEntry();
    }
    ModelZip.unpack(new ByteArrayInputStream(model.toByteArray()), dir.resolve("ok"), limits);
    assertThat(dir.resolve("ok/variables/variables.data-00000-of-00001")).hasSize(weights.length);
  }

  @Test
  void tooManyEntriesAreRefusedAtTheFirstOneBeyondTheLimit() throws IOException {
    String[] entries = new String[2 * 11];
    for (int i = 0; i < 11; i++) {
      entries[2 * i] = "assets/file-" + i;
      entries[2 * i + 1] = "x";
    }
    ModelZip.Limits limits = new ModelZip.Limits(1 << 20, 10, 100, 1 << 20);

    assertThatThrownBy(
            () -> ModelZip.unpack(new ByteArrayInputStream(zip(entries)), dir.resolve("m"), limits))
        .isInstanceOf(ModelZip.LimitExceeded.class)
        .hasMessageContaining("more than 10 entries");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void entriesNamingPathsOutsideTheModelAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path target = dir.resolve("cache/m");
    for (String name :
        List.of("../evil", "a/../../evil", "/tmp/evil", "\\evil", ".complete", "./")) {
      assertThatThrownBy(
              () ->
                  ModelZip.unpack(
                      new ByteArrayInputStream(zip("ok", "x", name, "evil")), target, LIMITS))
          .as(name)
          .isInstanceOf(ZipException.class)
          .hasMessageContaining("points outside the model");
    }
    assertThat(dir.resolve("evil")).doesNotExist();
    assertThat(dir.resolve("cache/evil")).doesNotExist();
    assertThat(target).doesNotExist();
  }
}
