package dev.kiln.agent.processor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.plan.LineRecord;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code checksum}: for each record, one JSON object with its SHA-256 and length in bytes. A file
 * of a zip or tar archive gives {@code {"name", "bytes", "sha256"}} from its bytes; a line gives
 * {@code {"_offset", "bytes", "sha256"}} from its UTF-8 text. Thread-safe.
 */
public final class ChecksumProcessor implements Processor {
  public static final String NAME = "checksum";

  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ShardRun open(ShardContext context) {
    return new ShardRun() {
      @Override
      public void process(List<LineRecord> batch, OutputSink out) throws IOException {
        MessageDigest digest = sha256();
        for (LineRecord record : batch) {
          byte[] bytes = record.bytes();
          ObjectNode node = mapper.createObjectNode();
          if (record.isFile()) {
            node.put("name", record.text());
          } else {
            node.put("_offset", record.offset());
          }
          node.put("bytes", bytes.length);
          node.put("sha256", HexFormat.of().formatHex(digest.digest(bytes)));
          out.write(mapper.writeValueAsString(node));
        }
      }
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
