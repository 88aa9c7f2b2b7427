package dev.kiln.cli.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.testkit.MotoServer;
import java.io.IOException;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test kit's moto_server process: it answers, it stops with its children, it fails loudly. */
@Timeout(120)
class MotoServerIT {

  @Test
  void startsAnswersAndStopsWithItsChildren() {
    MotoServer moto = MotoServer.start();
    int port = moto.port();
    assertThat(moto.isAlive()).isTrue();
    assertThat(listening(port)).isTrue();

    moto.close();

    assertThat(moto.isAlive()).isFalse();
    assertThat(listening(port)).as("nothing listens on the port after close").isFalse();
  }

  @Test
  void failsWithAClearMessageWhenMotoServerIsNotInstalled() {
    assertThatThrownBy(() -> MotoServer.start("/nonexistent/bin"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("moto_server is not on PATH")
        .hasMessageContaining("pip install");
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
