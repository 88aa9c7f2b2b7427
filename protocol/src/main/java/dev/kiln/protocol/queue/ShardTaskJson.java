package dev.kiln.protocol.queue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A {@link ShardTask} as the JSON object the queue carries: one field per record component, by
 * name, nulls written out; unknown fields are skipped on reading, so a newer writer's extra fields
 * do not stop an older reader. Written and read with Jackson's streaming API: every lease decodes
 * one task per shard, and data binding a 17-field record through its constructor cost more CPU than
 * the rest of the agent's side of the lease. Stateless.
 */
final class ShardTaskJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private ShardTaskJson() {}

  static String write(ShardTask task) {
    StringWriter out = new StringWriter(256 + lengthOf(task.header()));
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("jobId", task.jobId().toString());
      json.writeNumberField("idx", task.idx());
      json.writeStringField("ownerId", task.ownerId().toString());
      json.writeStringField("processor", task.processor());
      json.writeNumberField("priority", task.priority());
      json.writeNumberField("maxAttempts", task.maxAttempts());
      json.writeStringField("inputBucket", task.inputBucket());
      json.writeStringField("inputKey", task.inputKey());
      json.writeNumberField("start", task.start());
      json.writeNumberField("end", task.end());
      json.writeNumberField("objectSize", task.objectSize());
      json.writeStringField("format", task.format());
      json.writeStringField("header", task.header());
      json.writeStringField("modelKey", task.modelKey());
      json.writeStringField("modelEtag", task.modelEtag());
      json.writeObjectFieldStart("params");
      for (Map.Entry<String, String> param : task.params().entrySet()) {
        json.writeStringField(param.getKey(), param.getValue());
      }
      json.writeEndObject();
      json.writeStringField("resultsBucket", task.resultsBucket());
      json.writeStringField("traceParent", task.traceParent());
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot encode shard task", e);
    }
    return out.toString();
  }

  static ShardTask read(String text) {
    try (JsonParser json = FACTORY.createParser(text)) {
      expect(json.nextToken(), JsonToken.START_OBJECT, text);
      Fields f = new Fields();
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        switch (name) {
          case "jobId" -> f.jobId = UUID.fromString(json.getText());
          case "idx" -> f.idx = json.getIntValue();
          case "ownerId" -> f.ownerId = UUID.fromString(json.getText());
          case "processor" -> f.processor = textOrNull(json, value);
          case "priority" -> f.priority = json.getIntValue();
          case "maxAttempts" -> f.maxAttempts = json.getIntValue();
          case "inputBucket" -> f.inputBucket = textOrNull(json, value);
          case "inputKey" -> f.inputKey = textOrNull(json, value);
          case "start" -> f.start = json.getLongValue();
          case "end" -> f.end = json.getLongValue();
          case "objectSize" -> f.objectSize = json.getLongValue();
          case "format" -> f.format = textOrNull(json, value);
          case "header" -> f.header = textOrNull(json, value);
          case "modelKey" -> f.modelKey = textOrNull(json, value);
          case "modelEtag" -> f.modelEtag = textOrNull(json, value);
          case "params" -> f.params = params(json, value, text);
          case "resultsBucket" -> f.resultsBucket = textOrNull(json, value);
          case "traceParent" -> f.traceParent = textOrNull(json, value);
          default -> json.skipChildren();
        }
      }
      if (f.jobId == null || f.ownerId == null) {
        throw new IllegalStateException("shard task without job or owner: " + text);
      }
      return new ShardTask(
          f.jobId,
          f.idx,
          f.ownerId,
          f.processor,
          f.priority,
          f.maxAttempts,
          f.inputBucket,
          f.inputKey,
          f.start,
          f.end,
          f.objectSize,
          f.format,
          f.header,
          f.modelKey,
          f.modelEtag,
          f.params,
          f.resultsBucket,
          f.traceParent);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot decode shard task " + text, e);
    }
  }

  /** The fields read so far; the record is built once all are in. */
  private static final class Fields {
    UUID jobId;
    int idx;
    UUID ownerId;
    String processor;
    int priority;
    int maxAttempts;
    String inputBucket;
    String inputKey;
    long start;
    long end;
    long objectSize;
    String format;
    String header;
    String modelKey;
    String modelEtag;
    Map<String, String> params;
    String resultsBucket;
    String traceParent;
  }

  private static Map<String, String> params(JsonParser json, JsonToken value, String text)
      throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(value, JsonToken.START_OBJECT, text);
    Map<String, String> params = new HashMap<>();
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.currentName();
      params.put(name, textOrNull(json, json.nextToken()));
    }
    return params;
  }

  private static String textOrNull(JsonParser json, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_NULL ? null : json.getText();
  }

  private static void expect(JsonToken actual, JsonToken expected, String text) {
    if (actual != expected) {
      throw new IllegalStateException(
          "cannot decode shard task (expected " + expected + ", found " + actual + "): " + text);
    }
  }

  private static int lengthOf(String text) {
    return text == null ? 0 : text.length();
  }
}
