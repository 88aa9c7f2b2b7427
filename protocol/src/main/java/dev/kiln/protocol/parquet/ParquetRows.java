package dev.kiln.protocol.parquet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.plan.LineRecord;
import dev.kiln.model.plan.RangeReader;
import dev.kiln.model.plan.RecordSource;
import java.io.IOException;
import java.util.Iterator;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;

/**
 * The rows a shard of a Parquet file owns, one record each: the shard {@code [start, end)} owns the
 * row groups that start in it ({@link ParquetLayout#owned}). Each row group is read with one ranged
 * GET and its rows are handed on as JSON objects ({@link JsonRowMaterializer}). A record's {@code
 * offset} is its row number in the file (from 0) and its {@code newlinesFromShardStart} the rows
 * before it in the shard, so the API numbers a failed row as the file's row (from 1) the way it
 * numbers a line. Not thread-safe.
 */
public final class ParquetRows implements RecordSource {
  /** The largest row group read into memory: 1 GiB. */
  public static final long MAX_ROW_GROUP_BYTES = 1L << 30;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RangeReader ranges;
  private final long size;
  private final long start;
  private final long end;
  private ParquetLayout layout;
  private Iterator<RowGroupSpan> groups;
  private RowGroupSpan group;
  private RecordReader<ObjectNode> reader;
  private long readInGroup;
  private long rowsInShard;

  /**
   * @param ranges reads the file
   * @param size the file's size
   * @param start the shard's first offset
   * @param end the shard's end (exclusive) for row group starts
   */
  public ParquetRows(RangeReader ranges, long size, long start, long end) {
    this.ranges = ranges;
    this.size = size;
    this.start = start;
    this.end = end;
  }

  @Override
  public LineRecord next() throws IOException {
    if (groups == null) {
      layout = ParquetFooter.read(ranges, size);
      groups = layout.owned(start, end).iterator();
    }
    while (group == null || readInGroup == group.rows()) {
      if (!groups.hasNext()) {
        return null;
      }
      open(groups.next());
    }
    ObjectNode row;
    try {
      row = reader.read();
    } catch (RuntimeException e) {
      throw new BadParquetException(
          "has row group "
              + group.index()
              + " whose row "
              + (group.firstRow() + readInGroup + 1)
              + " does not decode ("
              + e.getMessage()
              + "): the file is damaged; write it again and upload it",
          e);
    }
    LineRecord record =
        new LineRecord(group.firstRow() + readInGroup, JSON.writeValueAsString(row), rowsInShard);
    readInGroup++;
    rowsInShard++;
    return record;
  }

  private void open(RowGroupSpan next) throws IOException {
    if (next.bytes() > MAX_ROW_GROUP_BYTES) {
      throw new BadParquetException(
          "has a row group of "
              + next.bytes()
              + " bytes, more than the 1 GiB Kiln reads at once: write it with smaller row groups");
    }
    byte[] bytes = ranges.read(next.start(), (int) next.bytes());
    if (bytes.length != next.bytes()) {
      throw new IOException("the object ended inside row group " + next.index());
    }
    RowGroupPages pages = RowGroupPages.read(layout, next, bytes);
    try {
      MessageColumnIO io = new ColumnIOFactory(layout.createdBy()).getColumnIO(layout.schema());
      reader = io.getRecordReader(pages, new JsonRowMaterializer(layout.schema()));
    } catch (RuntimeException e) {
      throw new BadParquetException(
          "has row group "
              + next.index()
              + " that does not decode ("
              + e.getMessage()
              + "): the file is damaged; write it again and upload it",
          e);
    }
    group = next;
    readInGroup = 0;
  }

  /** The rows the shard owns, once {@link #next()} has returned null. */
  @Override
  public long newlinesInRange() {
    return rowsInShard;
  }

  @Override
  public void close() {
    reader = null;
  }
}
