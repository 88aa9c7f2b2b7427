package dev.kiln.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.client.KilnApiException;
import dev.kiln.client.KilnClient;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobView;
import dev.kiln.model.FileState;
import dev.kiln.model.JobParams;
import dev.kiln.model.JobState;
import dev.kiln.testkit.KilnStackExtension;
import dev.kiln.testkit.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Java client against the real API: the calls the CLI and the local demo make. */
@ExtendWith(KilnStackExtension.class)
class KilnClientIT {
  private static ApiHarness api;
  private static TestStack stack;

  @BeforeAll
  static void start(TestStack testStack) throws Exception {
    stack = testStack;
    api = ApiHarness.start(testStack);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void signsUpUploadsSubmitsAndDownloads() throws Exception {
    KilnClient client = new KilnClient(api.base());
    client.signup("client-" + UUID.randomUUID() + "@example.com", ApiHarness.PASSWORD);
    Path small = Files.writeString(stack.tempDir().resolve("small.csv"), "a,b\n1,2\n");
    Path large = stack.tempDir().resolve("large.txt");
    // six 5 MiB parts (more than are sent at once), each line numbered so order shows
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2_400_000; i++) {
      lines.append(String.format("%010d", i)).append('\n');
    }
    Files.writeString(large, lines);

    FileView smallFile = client.upload(small);
    FileView largeFile = client.upload(large);
    JobCreateRequest request =
        new JobCreateRequest(
            "parse",
            List.of(smallFile.id(), largeFile.id()),
            null,
            new JobParams(65_536L, "lines", null, null, null, null),
            1);
    JobView job = client.submit(request, "demo-1");
    JobView again = client.submit(request, "demo-1");
    KilnApiException reused =
        org.junit.jupiter.api.Assertions.assertThrows(
            KilnApiException.class,
            () ->
                client.submit(
                    new JobCreateRequest("parse", List.of(smallFile.id()), null, null, null),
                    "demo-1"));
    assertThat(reused.status()).isEqualTo(422);

    assertThat(smallFile.state()).isEqualTo(FileState.READY.name());
    assertThat(largeFile.sizeBytes()).isEqualTo(Files.size(large));
    assertThat(job.state()).isEqualTo(JobState.SUBMITTED);
    assertThat(again.id()).isEqualTo(job.id());
    assertThat(client.job(job.id()).inputs()).hasSize(2);
    new Fixtures(api)
        .sql(
            "update job_inputs set output_file_id = ? where job_id = ? and position = 0",
            smallFile.id(),
            job.id());
    new Fixtures(api)
        .sql(
            "update job_inputs set output_file_id = ? where job_id = ? and position = 1",
            largeFile.id(),
            job.id());
    Path out = client.downloadOutput(job.id(), 0, stack.tempDir().resolve("out.csv"));
    assertThat(Files.readString(out)).isEqualTo("a,b\n1,2\n");
    Path largeOut = client.downloadOutput(job.id(), 1, stack.tempDir().resolve("large.out"));
    assertThat(Files.mismatch(largeOut, large)).isEqualTo(-1L);
    assertThatThrownBy(() -> client.job(UUID.randomUUID()))
        .isInstanceOfSatisfying(
            KilnApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.problem().detail()).contains("No job");
            });
  }
}
