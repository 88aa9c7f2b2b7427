package dev.kiln.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResumingInputStreamTest {
  private static final byte[] DATA = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes();

  /** Serves DATA from an offset and breaks after {@code breakAfter} bytes. */
  static InputStream breaking(long from, int breakAfter) {
    return new FilterInputStream(new ByteArrayInputStream(DATA, (int) from, DATA.length)) {
      int served;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (served >= breakAfter) {
          throw new IOException("connection reset");
        }
        int n = super.read(b, off, Math.min(len, breakAfter - served));
        served += Math.max(n, 0);
        return n;
      }
    };
  }

  @Test
  void reopensFromTheFirstUnreadByte() throws IOException {
    List<Long> opened = new ArrayList<>();
    ResumingInputStream in =
        new ResumingInputStream(
            from -> {
              opened.add(from);
              return breaking(from, 10);
            },
            4,
            5);
    assertThat(new String(in.readAllBytes())).isEqualTo(new String(DATA, 4, DATA.length - 4));
    assertThat(opened).containsExactly(4L, 14L, 24L, 34L);
    assertThat(in.resumes()).isEqualTo(3);
  }

  @Test
  void givesUpAfterItsResumes() {
    ResumingInputStream in = new ResumingInputStream(from -> breaking(from, 2), 0, 2);
    assertThatThrownBy(in::readAllBytes).hasMessage("connection reset");
  }
}
