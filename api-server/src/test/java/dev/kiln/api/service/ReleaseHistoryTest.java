package dev.kiln.api.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.client.api.ReleasesView;
import org.junit.jupiter.api.Test;

class ReleaseHistoryTest {

  @Test
  void withoutAnOpsBucketTheListIsEmptyAndSaysWhichSettingToSet() {
    ReleasesView view = new ReleaseHistory(null, null).newest(10);

    assertThat(view.items()).isEmpty();
    assertThat(view.note()).contains("releases.opsBucket");
  }
}
