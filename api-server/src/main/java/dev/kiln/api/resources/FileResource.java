package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.service.FileService;
import dev.kiln.client.api.CompleteUploadRequest;
import dev.kiln.client.api.DownloadView;
import dev.kiln.client.api.FileCreateRequest;
import dev.kiln.client.api.FileView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.UploadView;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/** Uploads straight to S3 and the owner's files. */
@Path("/v1/files")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class FileResource {
  private final FileService files;

  public FileResource(FileService files) {
    this.files = files;
  }

  @POST
  public Response create(@Auth KilnPrincipal principal, @NotNull @Valid FileCreateRequest request) {
    UploadView upload = files.create(principal.accountId(), request);
    return Response.status(201).entity(upload).build();
  }

  @GET
  public Page<FileView> list(
      @Auth KilnPrincipal principal,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return files.list(principal.accountId(), Cursor.decode(cursor), Cursor.limit(limit));
  }

  @GET
  @Path("/{id}")
  public FileView get(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return files.get(principal.accountId(), id);
  }

  @POST
  @Path("/{id}/complete")
  public FileView complete(
      @Auth KilnPrincipal principal, @PathParam("id") UUID id, @Valid CompleteUploadRequest body) {
    return files.complete(principal.accountId(), id, body);
  }

  /** Abandons a pending (multipart) upload; the file goes away. */
  @POST
  @Path("/{id}/abort")
  public Response abort(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    files.abort(principal.accountId(), id);
    return Response.noContent().build();
  }

  @GET
  @Path("/{id}/download")
  public DownloadView download(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return files.download(principal.accountId(), id);
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    files.delete(principal.accountId(), id);
    return Response.noContent().build();
  }
}
