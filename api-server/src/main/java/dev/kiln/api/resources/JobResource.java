package dev.kiln.api.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.auth.QueryTokenAllowed;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.ErrorCursor;
import dev.kiln.api.service.JobCosts;
import dev.kiln.api.service.JobErrors;
import dev.kiln.api.service.JobService;
import dev.kiln.client.api.DownloadView;
import dev.kiln.client.api.JobCostView;
import dev.kiln.client.api.JobCreateRequest;
import dev.kiln.client.api.JobErrorView;
import dev.kiln.client.api.JobView;
import dev.kiln.client.api.Page;
import dev.kiln.model.JobState;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** Submitting jobs and following them. */
@Path("/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
public class JobResource {
  /** The media type of the failed-records download: one JSON object per line. */
  public static final String JSON_LINES = "application/jsonl";

  private final JobService jobs;
  private final JobEventStream events;
  private final JobErrors errors;
  private final JobCosts costs;

  public JobResource(JobService jobs, JobEventStream events, JobErrors errors, JobCosts costs) {
    this.jobs = jobs;
    this.events = events;
    this.errors = errors;
    this.costs = costs;
  }

  /** Accepts a job (202); the same {@code Idempotency-Key} returns the same job. */
  @POST
  public Response submit(
      @Auth KilnPrincipal principal,
      @NotNull @Valid JobCreateRequest request,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    JobService.Submitted submitted = jobs.submit(principal.accountId(), request, idempotencyKey);
    Response.ResponseBuilder response = Response.accepted(submitted.job());
    if (submitted.replayed()) {
      response.header("Idempotent-Replayed", "true");
    }
    return response.header("Location", "/api/v1/jobs/" + submitted.job().id()).build();
  }

  @GET
  public Page<JobView> list(
      @Auth KilnPrincipal principal,
      @QueryParam("state") String state,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return jobs.list(
        principal.accountId(), parseState(state), Cursor.decode(cursor), Cursor.limit(limit));
  }

  @GET
  @Path("/{id}")
  public JobView get(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @HeaderParam(HttpHeaders.CACHE_CONTROL) String cacheControl) {
    return asksForFresh(cacheControl)
        ? jobs.getFresh(principal.accountId(), id)
        : jobs.get(principal.accountId(), id);
  }

  /**
   * What the job cost, priced by the machines that ran its shards: spot, on-demand, and what it
   * would have cost on demand.
   */
  @GET
  @Path("/{id}/cost")
  public JobCostView cost(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return costs.cost(principal.accountId(), id);
  }

  /** {@code Cache-Control: no-cache} reads the job from the database, not from memory. */
  private static boolean asksForFresh(String cacheControl) {
    return cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("no-cache");
  }

  @POST
  @Path("/{id}/cancel")
  public JobView cancel(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return jobs.cancel(principal.accountId(), id);
  }

  /** Runs the failed shards of a FAILED job, or the unfinished part of a CANCELLED one, again. */
  @POST
  @Path("/{id}/retry")
  public Response retry(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    return Response.accepted(jobs.retry(principal.accountId(), id)).build();
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    jobs.delete(principal.accountId(), id);
    return Response.noContent().build();
  }

  /** A presigned download of the output of the input at {@code position} (0 for the first). */
  @GET
  @Path("/{id}/outputs/{position}/download")
  public DownloadView downloadOutput(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @PathParam("position") int position) {
    return jobs.downloadOutput(principal.accountId(), id, position);
  }

  /**
   * The job's failed records in input order, a page at a time (keyset: pass {@code nextCursor} as
   * {@code cursor}); {@code format=jsonl} downloads them all as JSON lines instead.
   */
  @GET
  @Path("/{id}/errors")
  @Produces({MediaType.APPLICATION_JSON, JSON_LINES})
  public Response errors(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit,
      @QueryParam("format") String format) {
    if (format != null && !format.isBlank()) {
      if (!"jsonl".equalsIgnoreCase(format.strip())) {
        throw ApiException.badRequest("'format' must be jsonl, or left out for pages of JSON.");
      }
      return errorsAsJsonLines(principal, id);
    }
    Page<JobErrorView> page =
        errors.page(principal.accountId(), id, ErrorCursor.decode(cursor), Cursor.limit(limit));
    return Response.ok(page, MediaType.APPLICATION_JSON_TYPE).build();
  }

  /** Every failed record of the job as JSON lines, in input order. */
  @GET
  @Path("/{id}/errors.jsonl")
  @Produces(JSON_LINES)
  public Response errorsAsJsonLines(@Auth KilnPrincipal principal, @PathParam("id") UUID id) {
    errors.require(principal.accountId(), id);
    StreamingOutput body =
        out -> {
          try {
            errors.each(
                id,
                view -> {
                  try {
                    out.write(LINES.writeValueAsBytes(view));
                    out.write('\n');
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
          } catch (UncheckedIOException e) {
            throw e.getCause();
          }
        };
    return Response.ok(body, JSON_LINES)
        .header("Content-Disposition", "attachment; filename=\"" + id + "-errors.jsonl\"")
        .build();
  }

  private static final ObjectMapper LINES = new ObjectMapper();

  /**
   * Server-sent events: the job's events and progress until it finishes; 429 when the account has
   * all its streams open.
   */
  @GET
  @Path("/{id}/events")
  @Produces("text/event-stream")
  @QueryTokenAllowed
  public Response events(
      @Auth KilnPrincipal principal,
      @PathParam("id") UUID id,
      @HeaderParam("Last-Event-ID") String lastEventId) {
    jobs.require(principal.accountId(), id);
    long after = 0;
    if (lastEventId != null && !lastEventId.isBlank()) {
      try {
        after = Long.parseLong(lastEventId.strip());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Last-Event-ID must be the id of an event you received.");
      }
    }
    return Response.ok(events.open(principal, id, after))
        .type("text/event-stream")
        .header("Cache-Control", "no-cache")
        .header("X-Accel-Buffering", "no")
        .build();
  }

  static JobState parseState(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return JobState.valueOf(state.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "'state' must be one of " + Arrays.toString(JobState.values()) + ".");
    }
  }
}
