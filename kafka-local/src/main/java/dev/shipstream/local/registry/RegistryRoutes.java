package dev.shipstream.local.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.schemas.serde.RegisteredSchema;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry's HTTP surface: the whole route table of the Confluent REST subset it serves, and the rendering of
 * every answer and error as Confluent's JSON. Reads are answered on the event loop from memory; anything that
 * parses a request schema or writes to the store runs on a bounded worker pool, at most {@code maxPendingRequests}
 * at a time (more are refused with 429).
 */
final class RegistryRoutes {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryService service;
    private final WorkerExecutor workers;
    private final long maxBodyBytes;
    private final int maxPendingRequests;
    private final AtomicInteger pendingRequests = new AtomicInteger();

    RegistryRoutes(RegistryService service, WorkerExecutor workers, long maxBodyBytes, int maxPendingRequests) {
        this.service = service;
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
        this.maxPendingRequests = maxPendingRequests;
    }

    Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes));

        router.get("/").handler(ctx -> respond(ctx, Map.of()));
        router.get("/schemas/types").handler(ctx -> respond(ctx, List.of("AVRO")));
        router.get("/schemas/ids/:id").handler(ctx -> respond(ctx, Map.of("schema", service.schemaText(id(ctx)))));
        router.get("/schemas/ids/:id/schema").handler(ctx -> respondRaw(ctx, service.schemaText(id(ctx))));

        router.get("/subjects").handler(ctx -> respond(ctx, service.subjects()));
        router.post("/subjects/:subject/versions").handler(ctx -> onWorker(ctx, () -> {
            JsonNode body = schemaRequest(ctx);
            return Map.of("id", service.register(subject(ctx), text(body, "schema"), text(body, "schemaType")));
        }));
        router.get("/subjects/:subject/versions").handler(ctx -> respond(ctx, service.versions(subject(ctx))));
        router.get("/subjects/:subject/versions/:version").handler(ctx ->
                respond(ctx, versionBody(service.version(subject(ctx), ctx.pathParam("version")))));
        router.get("/subjects/:subject/versions/:version/schema").handler(ctx ->
                respondRaw(ctx, service.version(subject(ctx), ctx.pathParam("version")).schema()));
        router.post("/subjects/:subject").handler(ctx -> onWorker(ctx, () -> {
            JsonNode body = schemaRequest(ctx);
            return versionBody(service.lookup(subject(ctx), text(body, "schema"), text(body, "schemaType")));
        }));
        router.delete("/subjects/:subject").handler(ctx -> onWorker(ctx, () -> service.deleteSubject(subject(ctx))));

        router.post("/compatibility/subjects/:subject/versions").handler(ctx -> onWorker(ctx, () ->
                compatibility(ctx, null)));
        router.post("/compatibility/subjects/:subject/versions/:version").handler(ctx -> onWorker(ctx, () ->
                compatibility(ctx, ctx.pathParam("version"))));

        router.get("/config").handler(ctx -> respond(ctx, Map.of("compatibilityLevel", service.globalLevel())));
        router.put("/config").handler(ctx -> onWorker(ctx, () ->
                Map.of("compatibility", service.setGlobalLevel(levelRequest(ctx)))));
        router.get("/config/:subject").handler(ctx -> respond(ctx, Map.of("compatibilityLevel",
                service.subjectLevel(subject(ctx), "true".equals(ctx.queryParams().get("defaultToGlobal"))))));
        router.put("/config/:subject").handler(ctx -> onWorker(ctx, () ->
                Map.of("compatibility", service.setSubjectLevel(subject(ctx), levelRequest(ctx)))));
        router.delete("/config/:subject").handler(ctx -> onWorker(ctx, () ->
                Map.of("compatibilityLevel", service.deleteSubjectLevel(subject(ctx)))));

        router.route().failureHandler(this::renderFailure);
        router.errorHandler(404, ctx -> renderError(ctx, 404, 404, "HTTP 404 Not Found"));
        router.errorHandler(405, ctx -> renderError(ctx, 405, 405, "HTTP 405 Method Not Allowed"));
        return router;
    }

    private Map<String, Object> compatibility(RoutingContext ctx, String version) {
        JsonNode body = schemaRequest(ctx);
        List<String> problems = service.incompatibilities(
                subject(ctx), version, text(body, "schema"), text(body, "schemaType"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("is_compatible", problems.isEmpty());
        if ("true".equals(ctx.queryParams().get("verbose"))) {
            answer.put("messages", problems);
        }
        return answer;
    }

    private void onWorker(RoutingContext ctx, Callable<Object> work) {
        if (pendingRequests.incrementAndGet() > maxPendingRequests) {
            pendingRequests.decrementAndGet();
            ctx.fail(new RegistryException(429, 429,
                    "Too many requests in progress (at most " + maxPendingRequests + "); retry later"));
            return;
        }
        workers.executeBlocking(work, false).onComplete(result -> {
            pendingRequests.decrementAndGet();
            if (result.succeeded()) {
                respond(ctx, result.result());
            } else {
                ctx.fail(result.cause());
            }
        });
    }

    private void renderFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure instanceof RegistryException e) {
            if (e.status() >= 500) {
                LOG.warn("Registry request {} {} failed: {}", ctx.request().method(), ctx.request().path(),
                        e.getMessage(), e.getCause());
            }
            renderError(ctx, e.status(), e.errorCode(), e.getMessage());
        } else if (failure != null) {
            LOG.error("Registry request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
            renderError(ctx, 500, 500, "Internal Server Error: " + failure);
        } else {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            renderError(ctx, status, status, "HTTP " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase());
        }
    }

    private static void renderError(RoutingContext ctx, int status, int errorCode, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("message", message);
        send(ctx, status, json(body));
    }

    private static void respond(RoutingContext ctx, Object body) {
        send(ctx, 200, json(body));
    }

    private static void respondRaw(RoutingContext ctx, String schema) {
        send(ctx, 200, schema);
    }

    private static void send(RoutingContext ctx, int status, String body) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(body);
    }

    private static Map<String, Object> versionBody(RegisteredSchema registered) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", registered.subject());
        body.put("version", registered.version());
        body.put("id", registered.id());
        body.put("schema", registered.schema());
        return body;
    }

    private static String subject(RoutingContext ctx) {
        return ctx.pathParam("subject");
    }

    private static int id(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("Schema " + id + " not found");
        }
    }

    /** The body of a request that carries a schema; references to other schemas are not supported. */
    private static JsonNode schemaRequest(RoutingContext ctx) {
        JsonNode body = body(ctx);
        JsonNode references = body.get("references");
        if (references != null && !references.isNull() && !references.isEmpty()) {
            throw RegistryException.invalidSchema(
                    "Invalid schema: schema references are not supported by the development registry");
        }
        return body;
    }

    private static String levelRequest(RoutingContext ctx) {
        JsonNode body = body(ctx);
        String level = text(body, "compatibility");
        return level != null ? level : text(body, "compatibilityLevel");
    }

    private static JsonNode body(RoutingContext ctx) {
        if (ctx.body().isEmpty()) {
            throw RegistryException.malformedRequest("Request body is missing; a JSON object is expected");
        }
        try {
            JsonNode node = JSON.readTree(ctx.body().buffer().getBytes());
            if (node == null || !node.isObject()) {
                throw RegistryException.malformedRequest("Request body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw RegistryException.malformedRequest("Request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw RegistryException.malformedRequest("Request body could not be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RegistryException.malformedRequest("Field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("registry answers are maps, lists, strings and numbers", e);
        }
    }
}
