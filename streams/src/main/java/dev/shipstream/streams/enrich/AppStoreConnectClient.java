package dev.shipstream.streams.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The App Store Connect API over {@code java.net.http}: one lookup per webhook entity type (the calls listed in
 * docs/sources.md), signed with {@link AppStoreConnectJwt}.
 *
 * <p>URLs are built from the configured base URL, a fixed path per entity type and the entity id (checked to be a
 * plain id); redirects are not followed, so no payload or response can send a request (and the bearer token) to
 * another host. A lookup of one or two requests takes at most the request timeout in all, body included; bodies are
 * capped at {@link #MAX_BODY_BYTES}. Every request is counted by status in {@code shipstream.enrichment.api.calls}.
 */
public final class AppStoreConnectClient implements AppStoreConnectApi {

    private static final Logger LOG = LoggerFactory.getLogger(AppStoreConnectClient.class);

    /** Largest response body read; a crash log is the largest expected document. */
    public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    /** The page size of the review submission list, the most the API allows. */
    public static final int REVIEW_SUBMISSIONS_PAGE_SIZE = 200;
    /** The most pages of review submissions read for one app. */
    public static final int MAX_REVIEW_SUBMISSION_PAGES = 5;
    /** The metric counting requests, tagged {@code status} (HTTP code, {@code timeout} or {@code io_error}). */
    public static final String CALLS_METRIC = "shipstream.enrichment.api.calls";

    // App Store Connect ids are numeric, UUIDs or URL-safe base64; anything else is refused rather than encoded, so
    // an id can never add a path segment or a query. Dots alone would be the segments "." and "..", which a URL
    // normaliser (the client, a proxy, the server) resolves to the collection or its parent.
    private static final Pattern PLAIN_ID = Pattern.compile("(?!\\.+$)[A-Za-z0-9._~-]{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final Duration requestTimeout;
    private final Supplier<String> tokens;
    private final Runnable invalidateToken;
    private final int crashLogMaxChars;
    private final MeterRegistry meters;
    private final ExecutorService executor;
    private final HttpClient http;

    /**
     * A client of the configured API, signing with {@code jwt}.
     *
     * @param settings base URL, timeouts and the crash log bound
     * @param jwt the token signer
     * @param meters where to count requests
     */
    public AppStoreConnectClient(EnrichmentSettings settings, AppStoreConnectJwt jwt, MeterRegistry meters) {
        this(settings, jwt::token, jwt::invalidate, meters);
    }

    AppStoreConnectClient(EnrichmentSettings settings, Supplier<String> tokens, Runnable invalidateToken,
                          MeterRegistry meters) {
        this.baseUrl = settings.apiUrl();
        this.requestTimeout = settings.requestTimeout();
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.invalidateToken = Objects.requireNonNull(invalidateToken, "invalidateToken");
        this.crashLogMaxChars = settings.crashLogMaxChars();
        this.meters = Objects.requireNonNull(meters, "meters");
        this.executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "shipstream-asc-http");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
    }

    @Override
    public ApiResult lookup(String entityType, String entityId) {
        if (entityId == null || !PLAIN_ID.matcher(entityId).matches()) {
            return ApiResult.failure(ApiResult.Kind.REJECTED, 0, "entity id is not a plain App Store Connect id");
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        String type = entityType == null ? "" : entityType;
        return switch (type) {
            case "appStoreVersions" -> single(type, entityId, "include=app,build", deadline,
                    JsonApiDocuments::appStoreVersion);
            case "buildUploads" -> single(type, entityId, "include=build", deadline, JsonApiDocuments::buildUpload);
            case "buildBetaDetails" -> betaDetail(entityId, deadline);
            case "betaFeedbackCrashSubmissions" -> crashFeedback(entityId, deadline);
            case "betaFeedbackScreenshotSubmissions" -> single(type, entityId, "include=build,tester", deadline,
                    doc -> JsonApiDocuments.feedback(doc, null, crashLogMaxChars));
            default -> ApiResult.failure(ApiResult.Kind.REJECTED, 0,
                    "no App Store Connect lookup for entity type " + JsonApiDocuments.cut(type, 80));
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>Pages of {@value #REVIEW_SUBMISSIONS_PAGE_SIZE}, at most {@value #MAX_REVIEW_SUBMISSION_PAGES} of them, all
     * within one request timeout. {@code links.next} is followed only to the configured API (same scheme, host and
     * port, the same path), never elsewhere. An app with more submissions than that is a failure rather than a
     * partial list: the API documents no order, so a partial list could lack the very submission asked for.
     */
    @Override
    public ReviewSubmissions reviewSubmissions(String appId) {
        if (appId == null || !PLAIN_ID.matcher(appId).matches()) {
            return ReviewSubmissions.failed(ApiResult.failure(ApiResult.Kind.REJECTED, 0,
                    "app id is not a plain App Store Connect id"));
        }
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        String path = "/v1/reviewSubmissions";
        String query = "filter%5Bapp%5D=" + appId + "&include=appStoreVersionForReview&limit="
                + REVIEW_SUBMISSIONS_PAGE_SIZE;
        List<ReviewSubmission> submissions = new java.util.ArrayList<>();
        Optional<RateLimitHeader> rateLimit = Optional.empty();
        for (int page = 1; ; page++) {
            Fetched fetched = get("reviewSubmissions", path, query, deadline);
            if (fetched.failure() != null) {
                return ReviewSubmissions.failed(fetched.failure());
            }
            rateLimit = fetched.rateLimit();
            String next;
            try {
                submissions.addAll(JsonApiDocuments.reviewSubmissions(fetched.document()));
                next = JsonApiDocuments.nextLink(fetched.document());
            } catch (RuntimeException e) {
                return ReviewSubmissions.failed(ApiResult.failure(ApiResult.Kind.REJECTED, 200,
                        "unreadable App Store Connect response (" + e.getClass().getSimpleName() + ")",
                        fetched.rateLimit(), Optional.empty()));
            }
            if (next == null) {
                return ReviewSubmissions.found(submissions, rateLimit);
            }
            if (page == MAX_REVIEW_SUBMISSION_PAGES) {
                return ReviewSubmissions.failed(ApiResult.failure(ApiResult.Kind.REJECTED, 200,
                        "more than " + MAX_REVIEW_SUBMISSION_PAGES * REVIEW_SUBMISSIONS_PAGE_SIZE
                                + " review submissions; not all read", rateLimit, Optional.empty()));
            }
            Optional<URI> nextUri = sameApi(next, path);
            if (nextUri.isEmpty()) {
                return ReviewSubmissions.failed(ApiResult.failure(ApiResult.Kind.REJECTED, 200,
                        "links.next does not point to the configured App Store Connect API; not followed",
                        rateLimit, Optional.empty()));
            }
            query = nextUri.get().getRawQuery();
        }
    }

    /** The link as a URI when it is the configured API's {@code path}, else empty. */
    private Optional<URI> sameApi(String link, String path) {
        try {
            URI uri = new URI(link);
            boolean same = baseUrl.getScheme().equalsIgnoreCase(uri.getScheme())
                    && baseUrl.getHost() != null && baseUrl.getHost().equalsIgnoreCase(uri.getHost())
                    && port(baseUrl) == port(uri)
                    && uri.getRawUserInfo() == null && path.equals(uri.getRawPath()) && uri.getRawQuery() != null;
            return same ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private ApiResult single(String type, String id, String query, long deadline,
                             java.util.function.Function<JsonNode, EntityDetails> reader) {
        Fetched fetched = get(type, "/v1/" + type + "/" + id, query, deadline);
        if (fetched.failure() != null) {
            return fetched.failure();
        }
        return read(fetched, reader);
    }

    private ApiResult betaDetail(String id, long deadline) {
        Fetched detail = get("buildBetaDetails", "/v1/buildBetaDetails/" + id, "include=build", deadline);
        if (detail.failure() != null) {
            return detail.failure();
        }
        Optional<String> buildId = JsonApiDocuments.betaDetailBuildId(detail.document())
                .filter(b -> PLAIN_ID.matcher(b).matches());
        if (buildId.isEmpty()) {
            return read(detail, doc -> JsonApiDocuments.buildBetaDetail(doc, null));
        }
        Fetched build = get("builds", "/v1/builds/" + buildId.get(), "include=preReleaseVersion,app", deadline);
        if (build.failure() != null) {
            return build.failure();
        }
        return read(build, doc -> JsonApiDocuments.buildBetaDetail(detail.document(), doc));
    }

    private ApiResult crashFeedback(String id, long deadline) {
        String path = "/v1/betaFeedbackCrashSubmissions/" + id;
        Fetched submission = get("betaFeedbackCrashSubmissions", path, "include=build,tester", deadline);
        if (submission.failure() != null) {
            return submission.failure();
        }
        Fetched log = get("betaCrashLogs", path + "/crashLog", null, deadline);
        String logText;
        if (log.failure() == null) {
            logText = JsonApiDocuments.crashLogText(log.document());
        } else if (log.failure().kind() == ApiResult.Kind.NOT_FOUND) {
            // A submission without a crash log is still worth reporting; it is not a reason to hold the event.
            logText = null;
        } else {
            return log.failure();
        }
        return read(log.failure() == null ? log : submission,
                ignored -> JsonApiDocuments.feedback(submission.document(), logText, crashLogMaxChars));
    }

    private static ApiResult read(Fetched fetched, java.util.function.Function<JsonNode, EntityDetails> reader) {
        try {
            return ApiResult.found(reader.apply(fetched.document()), fetched.rateLimit());
        } catch (RuntimeException e) {
            return ApiResult.failure(ApiResult.Kind.REJECTED, 200,
                    "unreadable App Store Connect response (" + e.getClass().getSimpleName() + ")",
                    fetched.rateLimit(), Optional.empty());
        }
    }

    private record Fetched(JsonNode document, Optional<RateLimitHeader> rateLimit, ApiResult failure) {
    }

    private Fetched get(String metricType, String path, String query, long deadline) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            count(metricType, "timeout");
            return failed(ApiResult.Kind.TRANSIENT, 0, "timed out after " + requestTimeout.toMillis() + " ms");
        }
        URI uri = URI.create(baseUrl + path + (query == null ? "" : "?" + query));
        String token;
        try {
            token = tokens.get();
        } catch (RuntimeException e) {
            return failed(ApiResult.Kind.UNAUTHORIZED, 0, "cannot sign the App Store Connect token ("
                    + e.getClass().getSimpleName() + ")");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(remainingNanos))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request, LimitedBody.HANDLER);
        HttpResponse<byte[]> response;
        try {
            response = future.get(Math.max(remainingNanos, 1), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            count(metricType, "timeout");
            return failed(ApiResult.Kind.TRANSIENT, 0, "timed out after " + requestTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed(ApiResult.Kind.TRANSIENT, 0, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            boolean timeout = cause instanceof java.net.http.HttpTimeoutException;
            count(metricType, timeout ? "timeout" : "io_error");
            return failed(ApiResult.Kind.TRANSIENT, 0, timeout
                    ? "timed out after " + requestTimeout.toMillis() + " ms"
                    : "request failed (" + cause.getClass().getSimpleName() + ")");
        }
        return classify(metricType, response);
    }

    private Fetched classify(String metricType, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        count(metricType, Integer.toString(status));
        Optional<RateLimitHeader> rateLimit = response.headers().firstValue(RateLimitHeader.NAME)
                .flatMap(RateLimitHeader::parse);
        if (status == 200) {
            try {
                return new Fetched(JSON.readTree(response.body()), rateLimit, null);
            } catch (IOException e) {
                return new Fetched(null, rateLimit, ApiResult.failure(ApiResult.Kind.REJECTED, status,
                        "unreadable App Store Connect response (not JSON)", rateLimit, Optional.empty()));
            }
        }
        String reason = "HTTP " + status + errorSummary(response.body()).map(s -> " " + s).orElse("");
        ApiResult.Kind kind;
        Optional<Duration> retryAfter = Optional.empty();
        if (status == 401 || status == 403) {
            kind = ApiResult.Kind.UNAUTHORIZED;
            // A token can be refused for a clock step or a key rotation; the next attempt signs a fresh one.
            invalidateToken.run();
        } else if (status == 404) {
            kind = ApiResult.Kind.NOT_FOUND;
        } else if (status == 429) {
            kind = ApiResult.Kind.RATE_LIMITED;
            retryAfter = response.headers().firstValue("Retry-After")
                    .flatMap(v -> RetryAfter.parse(v, Instant.now()));
        } else if (status == 408 || status >= 500) {
            kind = ApiResult.Kind.TRANSIENT;
        } else {
            kind = ApiResult.Kind.REJECTED;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("App Store Connect {} answered {}", metricType, reason);
        }
        return new Fetched(null, rateLimit, ApiResult.failure(kind, status, reason, rateLimit, retryAfter));
    }

    private static Optional<String> errorSummary(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JsonApiDocuments.firstError(JSON.readTree(body)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Fetched failed(ApiResult.Kind kind, int status, String reason) {
        return new Fetched(null, Optional.empty(), ApiResult.failure(kind, status, reason));
    }

    private void count(String entityType, String status) {
        Counter.builder(CALLS_METRIC)
                .description("App Store Connect API requests by resource and status")
                .tag("resource", entityType)
                .tag("status", status)
                .register(meters)
                .increment();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "AppStoreConnectClient[" + baseUrl + "]";
    }

    /** Reads a body into memory, failing instead of buffering more than {@link #MAX_BODY_BYTES}. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

        static final HttpResponse.BodyHandler<byte[]> HANDLER = info -> new LimitedBody();

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                if (result.isDone()) {
                    return;
                }
                if (buffer.size() + item.remaining() > MAX_BODY_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("response body larger than "
                            + MAX_BODY_BYTES + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(buffer.toByteArray());
        }
    }
}
