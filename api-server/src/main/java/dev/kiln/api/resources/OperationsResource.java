package dev.kiln.api.resources;

import dev.kiln.api.auth.KilnPrincipal;
import dev.kiln.api.errors.ApiException;
import dev.kiln.api.paging.Cursor;
import dev.kiln.api.paging.DeadLetterCursor;
import dev.kiln.api.service.DeadLetterService;
import dev.kiln.api.service.OperationsService;
import dev.kiln.client.api.AgentView;
import dev.kiln.client.api.AgentsView;
import dev.kiln.client.api.DeadLetterView;
import dev.kiln.client.api.OverviewView;
import dev.kiln.client.api.Page;
import dev.kiln.client.api.QueuesView;
import dev.kiln.client.api.RequeueRequest;
import dev.kiln.client.api.RequeueView;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
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

/**
 * The operator API over the running estate: the overview, the queues, the dead letters and the
 * agents. Admins only; every call audited.
 */
@Path("/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("ADMIN")
public class OperationsResource {
  private final OperationsService operations;
  private final DeadLetterService deadLetters;

  public OperationsResource(OperationsService operations, DeadLetterService deadLetters) {
    this.operations = operations;
    this.deadLetters = deadLetters;
  }

  @GET
  @Path("/overview")
  public OverviewView overview(@Auth KilnPrincipal principal) {
    return operations.overview(principal);
  }

  @GET
  @Path("/queues")
  public QueuesView queues(@Auth KilnPrincipal principal) {
    return operations.queues(principal);
  }

  @GET
  @Path("/dead-letters")
  public Page<DeadLetterView> deadLetters(
      @Auth KilnPrincipal principal,
      @QueryParam("processor") String processor,
      @QueryParam("jobId") String jobId,
      @QueryParam("cursor") String cursor,
      @QueryParam("limit") Integer limit) {
    return deadLetters.list(
        principal,
        AdminResource.filterText(processor, "processor"),
        jobId(jobId),
        DeadLetterCursor.decode(cursor),
        Cursor.limit(limit));
  }

  @POST
  @Path("/dead-letters/{jobId}/{shardIndex}/requeue")
  public Response requeue(
      @Auth KilnPrincipal principal,
      @PathParam("jobId") UUID jobId,
      @PathParam("shardIndex") int shardIndex) {
    return Response.accepted(deadLetters.requeue(principal, jobId, shardIndex)).build();
  }

  @POST
  @Path("/dead-letters/requeue")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response requeueAll(@Auth KilnPrincipal principal, RequeueRequest body) {
    RequeueRequest which = body == null ? new RequeueRequest(null, null) : body;
    RequeueView done =
        deadLetters.requeueAll(
            principal, AdminResource.filterText(which.processor(), "processor"), which.jobId());
    return Response.accepted(done).build();
  }

  @DELETE
  @Path("/dead-letters/{jobId}/{shardIndex}")
  public Response discard(
      @Auth KilnPrincipal principal,
      @PathParam("jobId") UUID jobId,
      @PathParam("shardIndex") int shardIndex) {
    deadLetters.discard(principal, jobId, shardIndex);
    return Response.noContent().build();
  }

  @GET
  @Path("/agents")
  public AgentsView agents(@Auth KilnPrincipal principal) {
    return operations.agents(principal);
  }

  @POST
  @Path("/agents/{id}/drain")
  public Response drain(@Auth KilnPrincipal principal, @PathParam("id") String agentId) {
    AgentView agent = operations.drain(principal, agentId);
    return Response.accepted(agent).build();
  }

  private static UUID jobId(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value.strip());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("'jobId' must be a job id (a UUID).");
    }
  }
}
