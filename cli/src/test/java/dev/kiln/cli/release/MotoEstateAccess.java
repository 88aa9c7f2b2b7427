package dev.kiln.cli.release;

import dev.kiln.testkit.MotoServer;
import software.amazon.awssdk.services.s3.S3Client;

/** Opens {@link MotoEstate} to tests outside this package. */
public final class MotoEstateAccess {

  private final MotoEstate fixture;

  private MotoEstateAccess(MotoEstate fixture) {
    this.fixture = fixture;
  }

  public static MotoEstateAccess create(MotoServer moto) {
    return new MotoEstateAccess(MotoEstate.create(moto, 2, 2));
  }

  public String name() {
    return fixture.estate.name();
  }

  public String opsBucket() {
    return fixture.opsBucket;
  }

  public String bake(String version) {
    return fixture.bake(version);
  }

  public String bake(String version, String role) {
    return fixture.bake(version, role);
  }

  public String bake(String version, String role, String arch) {
    return fixture.bake(version, role, arch);
  }

  /** The image each running scheduler was launched from. */
  public java.util.List<String> schedulerImages() {
    return fixture.imagesOf(fixture.estate.schedulerGroup().orElseThrow());
  }

  public S3Client s3() {
    return fixture.clients.s3();
  }
}
