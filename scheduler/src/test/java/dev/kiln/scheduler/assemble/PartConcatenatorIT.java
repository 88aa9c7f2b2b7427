package dev.kiln.scheduler.assemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.protocol.storage.ObjectStore;
import dev.kiln.scheduler.support.StackClients;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Concatenating parts against a real S3 server: copied server-side when large, else streamed. */
@ExtendWith(KilnStackExtension.class)
class PartConcatenatorIT {
  private static StackClients clients;
  private static ObjectStore store;

  @BeforeAll
  static void connect(TestStack stack) {
    clients = new StackClients(stack);
    store = clients.store();
  }

  @AfterAll
  static void disconnect() {
    clients.close();
  }

  @Test
  void partsOfFiveMibOrMoreAreCopiedServerSide() throws Exception {
    String bucket = store.settings().resultsBucket();
    byte[] big = new byte[5 * 1024 * 1024];
    Arrays.fill(big, (byte) 'a');
    store.put(bucket, "t/p0", big);
    Arrays.fill(big, (byte) 'b');
    store.put(bucket, "t/p1", big);
    store.put(bucket, "t/p2", "tail".getBytes(StandardCharsets.UTF_8));
    PartConcatenator concatenator = new PartConcatenator(store, ForkJoinPool.commonPool());

    // more parts than are copied at once, so the copies overlap and must still land in order
    List<PartConcatenator.Part> parts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      parts.add(new PartConcatenator.Part(i % 3 == 1 ? "t/p1" : "t/p0", big.length));
    }
    parts.add(new PartConcatenator.Part("t/p2", 4));
    PartConcatenator.Method method = concatenator.concatenate(bucket, parts, "t/out");
    PartConcatenator.Method streamed =
        concatenator.concatenate(
            bucket,
            List.of(
                new PartConcatenator.Part("t/p2", 4),
                new PartConcatenator.Part("t/p1", big.length)),
            "t/out2");

    assertThat(method).isEqualTo(PartConcatenator.Method.SERVER_SIDE_COPY);
    assertThat(streamed).isEqualTo(PartConcatenator.Method.STREAMED);
    assertThat(store.head(bucket, "t/out").orElseThrow().sizeBytes())
        .isEqualTo(6L * big.length + 4);
    StringBuilder firstBytes = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      long at = (long) i * big.length;
      firstBytes.append((char) store.readRange(bucket, "t/out", at, at + 1)[0]);
      firstBytes.append(
          (char) store.readRange(bucket, "t/out", at + big.length - 1, at + big.length)[0]);
    }
    assertThat(firstBytes.toString()).isEqualTo("aabbaaaabbaa");
    byte[] tail = store.readRange(bucket, "t/out", 6L * big.length, 6L * big.length + 4);
    assertThat(new String(tail, StandardCharsets.UTF_8)).isEqualTo("tail");
    assertThat(store.head(bucket, "t/out2").orElseThrow().sizeBytes()).isEqualTo(big.length + 4);
  }
}
