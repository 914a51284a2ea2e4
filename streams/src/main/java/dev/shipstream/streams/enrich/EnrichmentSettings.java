package dev.shipstream.streams.enrich;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The tuning of the enrichment stage: where the API is, how long a request may take, how long an event may wait, and
 * how the stage backs off. Every setting has an environment variable ({@code *_ENV}) and a default ({@code
 * *_DEFAULT}); {@link #fromEnvironment(Map)} validates them once, with exact messages, and {@link #builder()} gives
 * the defaults for tests to adjust.
 *
 * <p>The API key itself ({@link ApiKey}) is read separately by {@link #apiKey(Map)}, so this object holds no secret.
 */
public final class EnrichmentSettings {

    /** Base URL of the App Store Connect API; lookups go to this host only. {@code https}, or {@code http} for a loopback host. */
    public static final String API_URL_ENV = "SHIPSTREAM_ASC_API_URL";
    /** The production API. */
    public static final String API_URL_DEFAULT = "https://api.appstoreconnect.apple.com";
    /** The API key's id (the JWT {@code kid}). */
    public static final String KEY_ID_ENV = "SHIPSTREAM_ASC_KEY_ID";
    /** The issuer id of the team (the JWT {@code iss}). */
    public static final String ISSUER_ID_ENV = "SHIPSTREAM_ASC_ISSUER_ID";
    /** Path of the {@code .p8} file (PKCS#8, EC P-256) downloaded from App Store Connect. */
    public static final String PRIVATE_KEY_FILE_ENV = "SHIPSTREAM_ASC_PRIVATE_KEY_FILE";

    /** Longest time an event waits for its lookup before it is emitted {@code UNAVAILABLE}, in milliseconds. */
    public static final String MAX_HOLD_MS_ENV = "SHIPSTREAM_ASC_MAX_HOLD_MS";
    /** Ten minutes. */
    public static final Duration MAX_HOLD_DEFAULT = Duration.ofMinutes(10);
    /** Time to open a connection to the API, in milliseconds. */
    public static final String CONNECT_TIMEOUT_MS_ENV = "SHIPSTREAM_ASC_CONNECT_TIMEOUT_MS";
    /** One second. */
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(1);
    /**
     * Time one lookup may take in all (its one or two requests, body included), in milliseconds. It bounds how long
     * the stream thread waits per lookup.
     */
    public static final String REQUEST_TIMEOUT_MS_ENV = "SHIPSTREAM_ASC_REQUEST_TIMEOUT_MS";
    /** Two seconds. */
    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(2);
    /** Wait before the first retry of a held event, in milliseconds; it doubles with every failed attempt. */
    public static final String RETRY_BACKOFF_MS_ENV = "SHIPSTREAM_ASC_RETRY_BACKOFF_MS";
    /** Five seconds. */
    public static final Duration RETRY_BACKOFF_DEFAULT = Duration.ofSeconds(5);
    /** Longest wait between two retries of a held event, in milliseconds. */
    public static final String RETRY_BACKOFF_MAX_MS_ENV = "SHIPSTREAM_ASC_RETRY_BACKOFF_MAX_MS";
    /** Two minutes. */
    public static final Duration RETRY_BACKOFF_MAX_DEFAULT = Duration.ofMinutes(2);
    /** Pause of all lookups after a timeout, connection failure or 5xx, in milliseconds; doubles while they last. */
    public static final String FAILURE_PAUSE_MS_ENV = "SHIPSTREAM_ASC_FAILURE_PAUSE_MS";
    /** One second. */
    public static final Duration FAILURE_PAUSE_DEFAULT = Duration.ofSeconds(1);
    /** Longest pause of all lookups after failures, in milliseconds. */
    public static final String FAILURE_PAUSE_MAX_MS_ENV = "SHIPSTREAM_ASC_FAILURE_PAUSE_MAX_MS";
    /** One minute. */
    public static final Duration FAILURE_PAUSE_MAX_DEFAULT = Duration.ofMinutes(1);
    /** Pause of all lookups after a 429 without {@code Retry-After}, in milliseconds; doubles per further 429. */
    public static final String RATE_LIMIT_BACKOFF_MS_ENV = "SHIPSTREAM_ASC_RATE_LIMIT_BACKOFF_MS";
    /** One minute. */
    public static final Duration RATE_LIMIT_BACKOFF_DEFAULT = Duration.ofMinutes(1);
    /** Longest pause after 429s, also caps a {@code Retry-After}, in milliseconds. */
    public static final String RATE_LIMIT_BACKOFF_MAX_MS_ENV = "SHIPSTREAM_ASC_RATE_LIMIT_BACKOFF_MAX_MS";
    /** Fifteen minutes. */
    public static final Duration RATE_LIMIT_BACKOFF_MAX_DEFAULT = Duration.ofMinutes(15);
    /** Requests per hour left unused for other tools sharing the key; at or below it lookups only probe. */
    public static final String QUOTA_RESERVE_ENV = "SHIPSTREAM_ASC_QUOTA_RESERVE";
    /** One hundred requests. */
    public static final long QUOTA_RESERVE_DEFAULT = 100;
    /** Time between probing requests while the remaining quota is at or below the reserve, in milliseconds. */
    public static final String LOW_QUOTA_PAUSE_MS_ENV = "SHIPSTREAM_ASC_LOW_QUOTA_PAUSE_MS";
    /** One minute. */
    public static final Duration LOW_QUOTA_PAUSE_DEFAULT = Duration.ofMinutes(1);
    /** Time after a 401/403 during which no lookup is made and events go out {@code UNAVAILABLE}, in milliseconds. */
    public static final String AUTH_PAUSE_MS_ENV = "SHIPSTREAM_ASC_AUTH_PAUSE_MS";
    /** Five minutes. */
    public static final Duration AUTH_PAUSE_DEFAULT = Duration.ofMinutes(5);
    /** How often held events are looked at (wall-clock punctuation), in milliseconds. */
    public static final String PUNCTUATION_INTERVAL_MS_ENV = "SHIPSTREAM_ASC_PUNCTUATION_INTERVAL_MS";
    /** One second. */
    public static final Duration PUNCTUATION_INTERVAL_DEFAULT = Duration.ofSeconds(1);
    /** Most held events one punctuation resolves or retries. */
    public static final String MAX_EVENTS_PER_PUNCTUATION_ENV = "SHIPSTREAM_ASC_MAX_EVENTS_PER_PUNCTUATION";
    /** Twenty events. */
    public static final int MAX_EVENTS_PER_PUNCTUATION_DEFAULT = 20;
    /** Wall time after which a punctuation starts no further lookup, in milliseconds. */
    public static final String PUNCTUATION_TIME_BUDGET_MS_ENV = "SHIPSTREAM_ASC_PUNCTUATION_TIME_BUDGET_MS";
    /** Four seconds. */
    public static final Duration PUNCTUATION_TIME_BUDGET_DEFAULT = Duration.ofSeconds(4);
    /** Most events held per entity key; on overflow the oldest goes out {@code UNAVAILABLE}. */
    public static final String MAX_HELD_PER_KEY_ENV = "SHIPSTREAM_ASC_MAX_HELD_PER_KEY";
    /** One hundred events. */
    public static final int MAX_HELD_PER_KEY_DEFAULT = 100;
    /** Most events held per task (input partition); on overflow events go out {@code UNAVAILABLE}. */
    public static final String MAX_HELD_TOTAL_ENV = "SHIPSTREAM_ASC_MAX_HELD_TOTAL";
    /** Ten thousand events. */
    public static final int MAX_HELD_TOTAL_DEFAULT = 10_000;
    /** Most lookup results kept in the cache. */
    public static final String CACHE_SIZE_ENV = "SHIPSTREAM_ASC_CACHE_SIZE";
    /** Ten thousand entries. */
    public static final int CACHE_SIZE_DEFAULT = 10_000;
    /** How long a cached lookup result is reused, in milliseconds. */
    public static final String CACHE_TTL_MS_ENV = "SHIPSTREAM_ASC_CACHE_TTL_MS";
    /** Ten minutes. */
    public static final Duration CACHE_TTL_DEFAULT = Duration.ofMinutes(10);
    /** Most characters of a TestFlight crash log copied into the event. */
    public static final String CRASH_LOG_MAX_CHARS_ENV = "SHIPSTREAM_ASC_CRASH_LOG_MAX_CHARS";
    /** Four thousand characters. */
    public static final int CRASH_LOG_MAX_CHARS_DEFAULT = 4_000;

    private static final Pattern LOOPBACK_V4 =
            Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private final URI apiUrl;
    private final Duration maxHold;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration retryBackoff;
    private final Duration retryBackoffMax;
    private final Duration failurePause;
    private final Duration failurePauseMax;
    private final Duration rateLimitBackoff;
    private final Duration rateLimitBackoffMax;
    private final long quotaReserve;
    private final Duration lowQuotaPause;
    private final Duration authPause;
    private final Duration punctuationInterval;
    private final int maxEventsPerPunctuation;
    private final Duration punctuationTimeBudget;
    private final int maxHeldPerKey;
    private final int maxHeldTotal;
    private final int cacheSize;
    private final Duration cacheTtl;
    private final int crashLogMaxChars;

    private EnrichmentSettings(Builder b) {
        this.apiUrl = apiUrl(b.apiUrl, "API URL");
        this.maxHold = positive(b.maxHold, "max hold");
        this.connectTimeout = positive(b.connectTimeout, "connect timeout");
        this.requestTimeout = positive(b.requestTimeout, "request timeout");
        this.retryBackoff = positive(b.retryBackoff, "retry backoff");
        this.retryBackoffMax = atLeast(b.retryBackoffMax, retryBackoff, "retry backoff max");
        this.failurePause = positive(b.failurePause, "failure pause");
        this.failurePauseMax = atLeast(b.failurePauseMax, failurePause, "failure pause max");
        this.rateLimitBackoff = positive(b.rateLimitBackoff, "rate limit backoff");
        this.rateLimitBackoffMax = atLeast(b.rateLimitBackoffMax, rateLimitBackoff, "rate limit backoff max");
        this.quotaReserve = nonNegative(b.quotaReserve, "quota reserve");
        this.lowQuotaPause = positive(b.lowQuotaPause, "low quota pause");
        this.authPause = positive(b.authPause, "auth pause");
        this.punctuationInterval = positive(b.punctuationInterval, "punctuation interval");
        this.maxEventsPerPunctuation = (int) positive(b.maxEventsPerPunctuation, "max events per punctuation");
        this.punctuationTimeBudget = positive(b.punctuationTimeBudget, "punctuation time budget");
        this.maxHeldPerKey = (int) positive(b.maxHeldPerKey, "max held per key");
        this.maxHeldTotal = (int) positive(b.maxHeldTotal, "max held total");
        this.cacheSize = (int) nonNegative(b.cacheSize, "cache size");
        this.cacheTtl = positive(b.cacheTtl, "cache TTL");
        this.crashLogMaxChars = (int) nonNegative(b.crashLogMaxChars, "crash log max chars");
    }

    /** A builder holding every default, pointed at the production API. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads and validates the tuning settings from the environment; absent or blank variables take their default.
     *
     * @param env the environment, e.g. {@link System#getenv()}
     * @return the settings
     * @throws IllegalArgumentException naming the variable and the value when one is invalid
     */
    public static EnrichmentSettings fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        value(env, API_URL_ENV).ifPresent(v -> b.apiUrl(parseApiUrl(v)));
        millis(env, MAX_HOLD_MS_ENV).ifPresent(b::maxHold);
        millis(env, CONNECT_TIMEOUT_MS_ENV).ifPresent(b::connectTimeout);
        millis(env, REQUEST_TIMEOUT_MS_ENV).ifPresent(b::requestTimeout);
        millis(env, RETRY_BACKOFF_MS_ENV).ifPresent(b::retryBackoff);
        millis(env, RETRY_BACKOFF_MAX_MS_ENV).ifPresent(b::retryBackoffMax);
        millis(env, FAILURE_PAUSE_MS_ENV).ifPresent(b::failurePause);
        millis(env, FAILURE_PAUSE_MAX_MS_ENV).ifPresent(b::failurePauseMax);
        millis(env, RATE_LIMIT_BACKOFF_MS_ENV).ifPresent(b::rateLimitBackoff);
        millis(env, RATE_LIMIT_BACKOFF_MAX_MS_ENV).ifPresent(b::rateLimitBackoffMax);
        count(env, QUOTA_RESERVE_ENV, 0).ifPresent(b::quotaReserve);
        millis(env, LOW_QUOTA_PAUSE_MS_ENV).ifPresent(b::lowQuotaPause);
        millis(env, AUTH_PAUSE_MS_ENV).ifPresent(b::authPause);
        millis(env, PUNCTUATION_INTERVAL_MS_ENV).ifPresent(b::punctuationInterval);
        count(env, MAX_EVENTS_PER_PUNCTUATION_ENV, 1).ifPresent(v -> b.maxEventsPerPunctuation(v.intValue()));
        millis(env, PUNCTUATION_TIME_BUDGET_MS_ENV).ifPresent(b::punctuationTimeBudget);
        count(env, MAX_HELD_PER_KEY_ENV, 1).ifPresent(v -> b.maxHeldPerKey(v.intValue()));
        count(env, MAX_HELD_TOTAL_ENV, 1).ifPresent(v -> b.maxHeldTotal(v.intValue()));
        count(env, CACHE_SIZE_ENV, 0).ifPresent(v -> b.cacheSize(v.intValue()));
        millis(env, CACHE_TTL_MS_ENV).ifPresent(b::cacheTtl);
        count(env, CRASH_LOG_MAX_CHARS_ENV, 0).ifPresent(v -> b.crashLogMaxChars(v.intValue()));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("App Store Connect enrichment settings are inconsistent: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads the API key settings: all three of {@link #KEY_ID_ENV}, {@link #ISSUER_ID_ENV} and {@link
     * #PRIVATE_KEY_FILE_ENV}, or none.
     *
     * @param env the environment
     * @return the key settings, or empty when none of the three is given (enrichment not configured)
     * @throws IllegalArgumentException listing the missing variables when only some are given
     */
    public static Optional<ApiKey> apiKey(Map<String, String> env) {
        Optional<String> keyId = value(env, KEY_ID_ENV);
        Optional<String> issuerId = value(env, ISSUER_ID_ENV);
        Optional<String> keyFile = value(env, PRIVATE_KEY_FILE_ENV);
        if (keyId.isEmpty() && issuerId.isEmpty() && keyFile.isEmpty()) {
            return Optional.empty();
        }
        List<String> missing = new ArrayList<>();
        if (keyId.isEmpty()) {
            missing.add(KEY_ID_ENV);
        }
        if (issuerId.isEmpty()) {
            missing.add(ISSUER_ID_ENV);
        }
        if (keyFile.isEmpty()) {
            missing.add(PRIVATE_KEY_FILE_ENV);
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("App Store Connect enrichment is partly configured: "
                    + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " missing; set all of " + KEY_ID_ENV + ", " + ISSUER_ID_ENV + " and " + PRIVATE_KEY_FILE_ENV
                    + ", or none to run without enrichment");
        }
        return Optional.of(new ApiKey(keyId.get(), issuerId.get(), Path.of(keyFile.get())));
    }

    /**
     * Where to find the API key. Neither id is a secret (they appear in every token's header and claims); the private
     * key stays in its file until {@link AppStoreConnectJwt#readPrivateKey(Path)} reads it.
     *
     * @param keyId the key id
     * @param issuerId the issuer id
     * @param privateKeyFile the {@code .p8} file
     */
    public record ApiKey(String keyId, String issuerId, Path privateKeyFile) {
        /** Checks that all parts are given. */
        public ApiKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(issuerId, "issuerId");
            Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        }
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static Optional<Duration> millis(Map<String, String> env, String name) {
        return count(env, name, 1).map(Duration::ofMillis);
    }

    private static Optional<Long> count(Map<String, String> env, String name, long min) {
        return value(env, name).map(v -> {
            long parsed;
            try {
                parsed = Long.parseLong(v);
            } catch (NumberFormatException e) {
                parsed = Long.MIN_VALUE;
            }
            if (parsed < min || parsed > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be an integer from " + min + " to "
                        + Integer.MAX_VALUE + ", got '" + v + "'");
            }
            return parsed;
        });
    }

    private static URI parseApiUrl(String value) {
        try {
            return apiUrl(new URI(value), API_URL_ENV);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(API_URL_ENV
                    + " must be an absolute http(s) URL with a host and no path, query or credentials, got '"
                    + value + "'");
        }
    }

    private static URI apiUrl(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL with a host and no path, "
                    + "query or credentials, got '" + uri + "'");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(what + " must use https: every request carries the API token, which "
                    + "http would send in clear (http is allowed only for a loopback host: localhost, 127.0.0.0/8, "
                    + "[::1]), got '" + uri + "'");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    // Decided from the literal host alone, never by a DNS lookup, which could answer differently later.
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || LOOPBACK_V4.matcher(h).matches()
                || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    private static Duration atLeast(Duration d, Duration min, String what) {
        positive(d, what);
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException(what + " must not be less than " + min + ", got " + d);
        }
        return d;
    }

    private static long positive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
        return v;
    }

    private static long nonNegative(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + v);
        }
        return v;
    }

    /** The API's base URL (scheme and authority only); lookups are built against it. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** Longest wait of an event for its lookup. */
    public Duration maxHold() {
        return maxHold;
    }

    /** Time to open a connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Time one lookup may take in all. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Wait before the first retry of a held event. */
    public Duration retryBackoff() {
        return retryBackoff;
    }

    /** Longest wait between retries of a held event. */
    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    /** First pause of all lookups after a transient failure. */
    public Duration failurePause() {
        return failurePause;
    }

    /** Longest pause of all lookups after transient failures. */
    public Duration failurePauseMax() {
        return failurePauseMax;
    }

    /** First pause after a 429 without {@code Retry-After}. */
    public Duration rateLimitBackoff() {
        return rateLimitBackoff;
    }

    /** Longest pause after 429s. */
    public Duration rateLimitBackoffMax() {
        return rateLimitBackoffMax;
    }

    /** Requests per hour kept unused. */
    public long quotaReserve() {
        return quotaReserve;
    }

    /** Time between probes while quota is low. */
    public Duration lowQuotaPause() {
        return lowQuotaPause;
    }

    /** Time without lookups after a 401/403. */
    public Duration authPause() {
        return authPause;
    }

    /** How often held events are looked at. */
    public Duration punctuationInterval() {
        return punctuationInterval;
    }

    /** Most held events per punctuation. */
    public int maxEventsPerPunctuation() {
        return maxEventsPerPunctuation;
    }

    /** Wall time after which a punctuation starts no lookup. */
    public Duration punctuationTimeBudget() {
        return punctuationTimeBudget;
    }

    /** Most held events per entity key. */
    public int maxHeldPerKey() {
        return maxHeldPerKey;
    }

    /** Most held events per task. */
    public int maxHeldTotal() {
        return maxHeldTotal;
    }

    /** Most cached lookup results. */
    public int cacheSize() {
        return cacheSize;
    }

    /** How long a lookup result is reused. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** Most characters of a crash log kept. */
    public int crashLogMaxChars() {
        return crashLogMaxChars;
    }

    /** Mutable holder of the settings; starts with every default. */
    public static final class Builder {
        private URI apiUrl = URI.create(API_URL_DEFAULT);
        private Duration maxHold = MAX_HOLD_DEFAULT;
        private Duration connectTimeout = CONNECT_TIMEOUT_DEFAULT;
        private Duration requestTimeout = REQUEST_TIMEOUT_DEFAULT;
        private Duration retryBackoff = RETRY_BACKOFF_DEFAULT;
        private Duration retryBackoffMax = RETRY_BACKOFF_MAX_DEFAULT;
        private Duration failurePause = FAILURE_PAUSE_DEFAULT;
        private Duration failurePauseMax = FAILURE_PAUSE_MAX_DEFAULT;
        private Duration rateLimitBackoff = RATE_LIMIT_BACKOFF_DEFAULT;
        private Duration rateLimitBackoffMax = RATE_LIMIT_BACKOFF_MAX_DEFAULT;
        private long quotaReserve = QUOTA_RESERVE_DEFAULT;
        private Duration lowQuotaPause = LOW_QUOTA_PAUSE_DEFAULT;
        private Duration authPause = AUTH_PAUSE_DEFAULT;
        private Duration punctuationInterval = PUNCTUATION_INTERVAL_DEFAULT;
        private int maxEventsPerPunctuation = MAX_EVENTS_PER_PUNCTUATION_DEFAULT;
        private Duration punctuationTimeBudget = PUNCTUATION_TIME_BUDGET_DEFAULT;
        private int maxHeldPerKey = MAX_HELD_PER_KEY_DEFAULT;
        private int maxHeldTotal = MAX_HELD_TOTAL_DEFAULT;
        private int cacheSize = CACHE_SIZE_DEFAULT;
        private Duration cacheTtl = CACHE_TTL_DEFAULT;
        private int crashLogMaxChars = CRASH_LOG_MAX_CHARS_DEFAULT;

        private Builder() {
        }

        /** @see EnrichmentSettings#apiUrl() */
        public Builder apiUrl(URI v) { apiUrl = v; return this; }
        /** @see EnrichmentSettings#maxHold() */
        public Builder maxHold(Duration v) { maxHold = v; return this; }
        /** @see EnrichmentSettings#connectTimeout() */
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        /** @see EnrichmentSettings#requestTimeout() */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }
        /** @see EnrichmentSettings#retryBackoff() */
        public Builder retryBackoff(Duration v) { retryBackoff = v; return this; }
        /** @see EnrichmentSettings#retryBackoffMax() */
        public Builder retryBackoffMax(Duration v) { retryBackoffMax = v; return this; }
        /** @see EnrichmentSettings#failurePause() */
        public Builder failurePause(Duration v) { failurePause = v; return this; }
        /** @see EnrichmentSettings#failurePauseMax() */
        public Builder failurePauseMax(Duration v) { failurePauseMax = v; return this; }
        /** @see EnrichmentSettings#rateLimitBackoff() */
        public Builder rateLimitBackoff(Duration v) { rateLimitBackoff = v; return this; }
        /** @see EnrichmentSettings#rateLimitBackoffMax() */
        public Builder rateLimitBackoffMax(Duration v) { rateLimitBackoffMax = v; return this; }
        /** @see EnrichmentSettings#quotaReserve() */
        public Builder quotaReserve(long v) { quotaReserve = v; return this; }
        /** @see EnrichmentSettings#lowQuotaPause() */
        public Builder lowQuotaPause(Duration v) { lowQuotaPause = v; return this; }
        /** @see EnrichmentSettings#authPause() */
        public Builder authPause(Duration v) { authPause = v; return this; }
        /** @see EnrichmentSettings#punctuationInterval() */
        public Builder punctuationInterval(Duration v) { punctuationInterval = v; return this; }
        /** @see EnrichmentSettings#maxEventsPerPunctuation() */
        public Builder maxEventsPerPunctuation(int v) { maxEventsPerPunctuation = v; return this; }
        /** @see EnrichmentSettings#punctuationTimeBudget() */
        public Builder punctuationTimeBudget(Duration v) { punctuationTimeBudget = v; return this; }
        /** @see EnrichmentSettings#maxHeldPerKey() */
        public Builder maxHeldPerKey(int v) { maxHeldPerKey = v; return this; }
        /** @see EnrichmentSettings#maxHeldTotal() */
        public Builder maxHeldTotal(int v) { maxHeldTotal = v; return this; }
        /** @see EnrichmentSettings#cacheSize() */
        public Builder cacheSize(int v) { cacheSize = v; return this; }
        /** @see EnrichmentSettings#cacheTtl() */
        public Builder cacheTtl(Duration v) { cacheTtl = v; return this; }
        /** @see EnrichmentSettings#crashLogMaxChars() */
        public Builder crashLogMaxChars(int v) { crashLogMaxChars = v; return this; }

        /**
         * Validates and builds.
         *
         * @return the settings
         * @throws IllegalArgumentException when a value is out of range
         */
        public EnrichmentSettings build() {
            return new EnrichmentSettings(this);
        }
    }
}
