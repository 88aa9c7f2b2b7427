package dev.kiln.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A filesystem blob store that flushes every object it writes (the file and the directories up to
 * the root) to disk before the write is acknowledged, so that an object S3 answered for survives a
 * power cut, not only a killed process. Objects are files {@code root/bucket/key}. Thread-safe.
 */
final class SyncingBlobStore extends ForwardingBlobStore {
  private final Path root;

  SyncingBlobStore(BlobStore delegate, Path root) {
    super(delegate);
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
    PutObjectResponse response = super.putBlob(request, input);
    sync(request.bucket(), request.key());
    return response;
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    CopyObjectResponse response = super.copyBlob(request);
    sync(request.destinationBucket(), request.destinationKey());
    return response;
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload upload, CompleteMultipartUploadRequest request) {
    CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
    sync(request.bucket(), request.key());
    return response;
  }

  private void sync(String bucket, String key) {
    Path file = root.resolve(bucket).resolve(key).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      return;
    }
    try {
      force(file);
      for (Path dir = file.getParent();
          dir != null && dir.startsWith(root);
          dir = dir.getParent()) {
        force(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not flush " + file + " to disk", e);
    }
  }

  private static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
