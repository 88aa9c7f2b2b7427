package dev.kiln.api.resources;

import dev.kiln.api.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI 3 description of this API, public. */
@Path("/v1/openapi.json")
public class OpenApiResource {
  static final String DOCUMENT = "/openapi/kiln-api.json";

  private final byte[] document;

  public OpenApiResource() {
    try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
      document = in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] get() {
    if (document == null) {
      throw ApiException.notFound("The OpenAPI document is not packaged with this build.");
    }
    return document;
  }
}
