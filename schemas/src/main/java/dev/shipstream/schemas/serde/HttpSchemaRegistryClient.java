package dev.shipstream.schemas.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Confluent Schema Registry REST API over {@link HttpClient}, without caching (wrap it in a
 * {@link CachingSchemaRegistryClient}, as {@link SchemaRegistryClients#fromConfig} does).
 *
 * <p>Requests carry {@code application/vnd.schemaregistry.v1+json}; subjects are percent-encoded as one path
 * segment. Answers outside 2xx become {@link SchemaRegistryException}s with the HTTP status and the
 * {@code error_code} and {@code message} of Confluent's error body.
 *
 * <p><b>Retries.</b> A connection error (refused, reset, connect timeout), a 5xx or a 429 answer is retried up to
 * {@link Options#maxRetries()} times, each retry against the next base URL, after a bounded exponential backoff
 * (doubling from {@link Options#retryBackoff()} up to {@link Options#retryBackoffMax()}, jittered down by up to
 * half). A 4xx answer is never retried, and neither is a request that exceeded {@link Options#requestTimeout()}:
 * the registry may still be working on it. So a call takes at most one request timeout, or
 * (maxRetries + 1) connect timeouts plus the backoffs.
 *
 * <p><b>Transient or permanent.</b> When the retries are used up, or the request timed out or was interrupted, the
 * failure is a {@link SchemaRegistryUnavailableException}: the registry could not answer for now, and the caller
 * should retry later rather than blame its data. Any other 4xx answer (404 unknown subject, schema or id; 409 or 422
 * refused) is a plain {@link SchemaRegistryException}, which no retry changes.
 *
 * <p>Thread-safe. {@link #close()} stops the client's threads.
 */
public class HttpSchemaRegistryClient implements SchemaRegistryClient {

    /** Confluent's media type for registry requests and answers. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT = CONTENT_TYPE
            + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int VERSION_NOT_FOUND = 40402;
    private static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;
    private static final int MAX_BODY_IN_MESSAGE = 300;
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);

    /**
     * Timeouts and retry policy.
     *
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long one request may take once sent
     * @param maxRetries     retries after a connection error, a 5xx or a 429 answer
     * @param retryBackoff   the wait before the first retry, doubled for each further one
     * @param retryBackoffMax the longest wait between retries
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, int maxRetries,
                          Duration retryBackoff, Duration retryBackoffMax) {

        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
            if (connectTimeout.isNegative() || connectTimeout.isZero()
                    || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
            if (maxRetries < 0 || retryBackoff.isNegative() || retryBackoffMax.compareTo(retryBackoff) < 0) {
                throw new IllegalArgumentException(
                        "maxRetries and retryBackoff must not be negative, nor retryBackoffMax less than retryBackoff");
            }
        }

        /** The defaults of {@link AvroSerdeConfig}. */
        public static Options defaults() {
            return new Options(
                    Duration.ofMillis(AvroSerdeConfig.CONNECT_TIMEOUT_MS_DEFAULT),
                    Duration.ofMillis(AvroSerdeConfig.REQUEST_TIMEOUT_MS_DEFAULT),
                    AvroSerdeConfig.MAX_RETRIES_DEFAULT,
                    Duration.ofMillis(AvroSerdeConfig.RETRY_BACKOFF_MS_DEFAULT),
                    Duration.ofMillis(AvroSerdeConfig.RETRY_BACKOFF_MAX_MS_DEFAULT));
        }

        /** The options configured in a serde configuration. */
        public static Options from(AvroSerdeConfig config) {
            return new Options(config.connectTimeout(), config.requestTimeout(), config.maxRetries(),
                    config.retryBackoff(), config.retryBackoffMax());
        }
    }

    private final List<String> baseUrls;
    private final Options options;
    private final ExecutorService executor;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger current = new AtomicInteger();

    /** A client of the registry at this base URL, with the default options. */
    public HttpSchemaRegistryClient(String baseUrl) {
        this(List.of(baseUrl), Options.defaults());
    }

    /** A client of the registry at these base URLs (tried in order, failing over on errors). */
    public HttpSchemaRegistryClient(List<String> baseUrls, Options options) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one schema registry URL is needed");
        }
        List<String> normalized = new ArrayList<>();
        for (String url : baseUrls) {
            String trimmed = url.trim();
            URI uri = URI.create(trimmed);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("not an http:// or https:// URL: " + url);
            }
            normalized.add(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
        }
        this.baseUrls = List.copyOf(normalized);
        this.options = Objects.requireNonNull(options, "options");
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-client");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    /** A client configured by a serde configuration, which must name http:// or https:// URLs. */
    public HttpSchemaRegistryClient(AvroSerdeConfig config) {
        this(config.schemaRegistryUrls(), Options.from(config));
    }

    /** The base URLs, without trailing slashes. */
    public List<String> baseUrls() {
        return baseUrls;
    }

    @Override
    public int register(String subject, String schema) {
        JsonNode answer = send("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema));
        return requiredInt(answer, "id", "POST /subjects/{subject}/versions");
    }

    @Override
    public RegisteredSchema lookup(String subject, String schema) {
        return registeredSchema(send("POST", "/subjects/" + segment(subject), schemaBody(schema)),
                "POST /subjects/{subject}");
    }

    @Override
    public String schemaById(int id) {
        return requiredText(send("GET", "/schemas/ids/" + id, null), "schema", "GET /schemas/ids/{id}");
    }

    @Override
    public RegisteredSchema latest(String subject) {
        return registeredSchema(send("GET", "/subjects/" + segment(subject) + "/versions/latest", null),
                "GET /subjects/{subject}/versions/latest");
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return registeredSchema(send("GET", "/subjects/" + segment(subject) + "/versions/" + version, null),
                "GET /subjects/{subject}/versions/{version}");
    }

    @Override
    public List<Integer> versions(String subject) {
        JsonNode answer = send("GET", "/subjects/" + segment(subject) + "/versions", null);
        List<Integer> versions = new ArrayList<>();
        for (JsonNode element : requiredArray(answer, "GET /subjects/{subject}/versions")) {
            if (!element.isInt()) {
                throw unexpected("GET /subjects/{subject}/versions", "a version that is not an integer", answer);
            }
            versions.add(element.intValue());
        }
        versions.sort(null);
        return List.copyOf(versions);
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null);
        List<String> subjects = new ArrayList<>();
        for (JsonNode element : requiredArray(answer, "GET /subjects")) {
            if (!element.isTextual()) {
                throw unexpected("GET /subjects", "a subject that is not a string", answer);
            }
            subjects.add(element.textValue());
        }
        return List.copyOf(subjects);
    }

    @Override
    public boolean isCompatible(String subject, String schema) {
        String path = "/compatibility/subjects/" + segment(subject) + "/versions/latest";
        JsonNode answer;
        try {
            answer = send("POST", path, schemaBody(schema));
        } catch (SchemaRegistryException e) {
            // Registries before Confluent 7 answer 404 for a subject without versions; that subject accepts anything.
            if (e.httpStatus() == 404
                    && (e.errorCode() == SUBJECT_NOT_FOUND || e.errorCode() == VERSION_NOT_FOUND)) {
                return true;
            }
            throw e;
        }
        JsonNode value = answer.get("is_compatible");
        if (value == null || !value.isBoolean()) {
            throw unexpected("POST /compatibility/subjects/{subject}/versions/latest", "no boolean is_compatible",
                    answer);
        }
        return value.booleanValue();
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        try {
            return level(send("GET", "/config/" + segment(subject), null), "GET /config/{subject}");
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404
                    && (e.errorCode() == SUBJECT_LEVEL_NOT_CONFIGURED || e.errorCode() == SUBJECT_NOT_FOUND)) {
                return globalCompatibility();
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + segment(subject), levelBody(level));
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return level(send("GET", "/config", null), "GET /config");
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", levelBody(level));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "HttpSchemaRegistryClient" + baseUrls;
    }

    /**
     * Sends one request, retrying connection errors, 5xx and 429 answers, and returns the parsed JSON of the 2xx
     * answer.
     */
    private JsonNode send(String method, String path, JsonNode body) {
        String request = method + " " + path;
        String payload = body == null ? null : body.toString();
        int attempts = options.maxRetries() + 1;
        SchemaRegistryException lastAnswer = null;
        IOException lastConnectionError = null;
        String lastBaseUrl = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(attempt - 1, request);
            }
            int index = current.get();
            String baseUrl = baseUrls.get(Math.floorMod(index, baseUrls.size()));
            lastBaseUrl = baseUrl;
            HttpResponse<String> response;
            try {
                response = http.send(build(baseUrl + path, method, payload),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpConnectTimeoutException e) {
                lastConnectionError = e;
                failOver(index, baseUrl, request, attempt, e);
                continue;
            } catch (HttpTimeoutException e) {
                throw new SchemaRegistryUnavailableException("Schema registry at " + baseUrl + " did not answer "
                        + request + " within the request timeout of " + options.requestTimeout().toMillis() + " ms",
                        e);
            } catch (IOException e) {
                lastConnectionError = e;
                failOver(index, baseUrl, request, attempt, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryUnavailableException("Interrupted while calling the schema registry at "
                        + baseUrl + ": " + request, e);
            } catch (IllegalArgumentException e) {
                throw new SchemaRegistryException("Could not build the request " + request + " for " + baseUrl, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body(), request, status);
            }
            SchemaRegistryException error = errorAnswer(baseUrl, request, status, response.body());
            if (!error.isTransient()) {
                throw error;
            }
            lastAnswer = error;
            lastConnectionError = null;
            failOver(index, baseUrl, request, attempt, error);
        }
        if (lastConnectionError != null) {
            throw new SchemaRegistryUnavailableException("Schema registry unreachable: " + request + " failed "
                    + attempts + (attempts == 1 ? " time" : " times") + ", last at " + lastBaseUrl + " ("
                    + describe(lastConnectionError) + ")", lastConnectionError);
        }
        throw new SchemaRegistryUnavailableException(lastAnswer.getMessage() + " (after " + attempts
                + (attempts == 1 ? " attempt)" : " attempts)"), lastAnswer.httpStatus(), lastAnswer.errorCode());
    }

    private HttpRequest build(String uri, String method, String payload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(uri))
                .timeout(options.requestTimeout())
                .header("Accept", ACCEPT);
        if (payload == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private void failOver(int index, String baseUrl, String request, int attempt, Exception cause) {
        LOG.debug("Schema registry request {} to {} failed on attempt {}: {}", request, baseUrl, attempt,
                cause.toString());
        current.compareAndSet(index, index + 1);
    }

    private void pause(int retry, String request) {
        long base = options.retryBackoff().toMillis();
        long cap = options.retryBackoffMax().toMillis();
        long exponential = base;
        for (int i = 1; i < retry && exponential < cap; i++) {
            exponential *= 2;
        }
        exponential = Math.min(cap, exponential);
        long delay = exponential <= 1 ? exponential
                : exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        if (delay <= 0) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("Interrupted while waiting to retry " + request, e);
        }
    }

    private SchemaRegistryException errorAnswer(String baseUrl, String request, int status, String body) {
        int errorCode = -1;
        String message = null;
        try {
            JsonNode error = json.readTree(body == null ? "" : body);
            if (error != null && error.isObject()) {
                JsonNode code = error.get("error_code");
                if (code != null && code.canConvertToInt()) {
                    errorCode = code.intValue();
                }
                JsonNode text = error.get("message");
                if (text != null && text.isTextual()) {
                    message = text.textValue();
                }
            }
        } catch (JsonProcessingException e) {
            // Not Confluent's error body (a proxy's HTML page, say): the raw body goes into the message instead.
        }
        if (message == null) {
            message = abbreviate(body);
        }
        String code = errorCode == -1 ? "" : " (error code " + errorCode + ")";
        String text = "Schema registry at " + baseUrl + " answered " + status + code + " to " + request + ": "
                + message;
        return SchemaRegistryException.isTransientStatus(status)
                ? new SchemaRegistryUnavailableException(text, status, errorCode)
                : new SchemaRegistryException(text, status, errorCode);
    }

    private JsonNode parse(String body, String request, int status) {
        if (body == null || body.isBlank()) {
            return json.nullNode();
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("Schema registry answered " + request + " with " + status
                    + " but a body that is not JSON: " + abbreviate(body), status, -1);
        }
    }

    private JsonNode schemaBody(String schema) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", Objects.requireNonNull(schema, "schema"));
        return body;
    }

    private JsonNode levelBody(CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode();
        body.put("compatibility", Objects.requireNonNull(level, "level").name());
        return body;
    }

    private CompatibilityLevel level(JsonNode answer, String request) {
        JsonNode value = answer.get("compatibilityLevel");
        if (value == null) {
            value = answer.get("compatibility");
        }
        if (value == null || !value.isTextual()) {
            throw unexpected(request, "no compatibilityLevel", answer);
        }
        try {
            return CompatibilityLevel.valueOf(value.textValue().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw unexpected(request, "an unknown compatibility level '" + value.textValue() + "'", answer);
        }
    }

    private RegisteredSchema registeredSchema(JsonNode answer, String request) {
        return new RegisteredSchema(
                requiredText(answer, "subject", request),
                requiredInt(answer, "version", request),
                requiredInt(answer, "id", request),
                requiredText(answer, "schema", request));
    }

    private static int requiredInt(JsonNode answer, String field, String request) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isInt()) {
            throw unexpected(request, "no integer '" + field + "'", answer);
        }
        return value.intValue();
    }

    private static String requiredText(JsonNode answer, String field, String request) {
        JsonNode value = answer.get(field);
        if (value == null || !value.isTextual()) {
            throw unexpected(request, "no string '" + field + "'", answer);
        }
        return value.textValue();
    }

    private static JsonNode requiredArray(JsonNode answer, String request) {
        if (!answer.isArray()) {
            throw unexpected(request, "not a JSON array", answer);
        }
        return answer;
    }

    private static SchemaRegistryException unexpected(String request, String problem, JsonNode answer) {
        return new SchemaRegistryException("Unexpected schema registry answer to " + request + ": " + problem
                + " in " + abbreviate(answer.toString()), 200, -1);
    }

    /** Percent-encodes a subject as one path segment: everything but RFC 3986 unreserved characters. */
    static String segment(String subject) {
        Objects.requireNonNull(subject, "subject");
        return URLEncoder.encode(subject, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
    }

    private String describe(IOException error) {
        String what = error instanceof HttpConnectTimeoutException
                ? "no connection within " + options.connectTimeout().toMillis() + " ms: "
                : error instanceof ConnectException ? "could not connect: " : "";
        List<String> chain = new ArrayList<>();
        for (Throwable t = error; t != null && chain.size() < 4; t = t.getCause()) {
            String link = t.getMessage() == null ? t.getClass().getName() : t.getClass().getName() + ": " + t.getMessage();
            if (chain.isEmpty() || !chain.get(chain.size() - 1).equals(link)) {
                chain.add(link);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return what + String.join(", caused by ", chain);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isEmpty()) {
            return "(empty body)";
        }
        return body.length() <= MAX_BODY_IN_MESSAGE ? body : body.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
