package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.config.EnvironmentConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The tuning of the enrichment stage: where the API is, how long a request may take, how long an event may wait, and
 * how the stage backs off. Every setting is an environment variable ({@code *_ENV}, the key of {@link #configDef()})
 * with a default ({@code *_DEFAULT}) and a description ({@code *_DOC}), read by {@link EnvironmentConfig}'s one rule
 * (blank is unset). {@link #fromEnvironment(Map)} validates them once, with exact messages naming the variable, and
 * {@link #builder()} gives the defaults for tests to adjust.
 *
 * <p>The API key itself ({@link ApiKey}) is read separately by {@link #apiKey(Map)}, so that an unconfigured stage
 * reads no tuning at all; this object holds no secret (the private key stays in its file).
 */
public final class EnrichmentSettings extends EnvironmentConfig {

    /** Base URL of the App Store Connect API. */
    public static final String API_URL_ENV = "SHIPSTREAM_ASC_API_URL";
    /** The production API. */
    public static final String API_URL_DEFAULT = "https://api.appstoreconnect.apple.com";
    public static final String API_URL_DOC = "Base URL of the App Store Connect API; enrichment URLs are built from "
            + "entity type and id against it, never from a payload's link. https only, or http for a loopback host "
            + "(localhost, 127.0.0.0/8, [::1]), since every request carries the API token; no path, query or "
            + "credentials.";
    /** The API key's id (the JWT {@code kid}). */
    public static final String KEY_ID_ENV = "SHIPSTREAM_ASC_KEY_ID";
    public static final String KEY_ID_DOC = "The App Store Connect API key's id (the JWT kid). Set all three of "
            + "the key id, issuer id and private key file, or none to run without enrichment (NOT_CONFIGURED).";
    /** The issuer id of the team (the JWT {@code iss}). */
    public static final String ISSUER_ID_ENV = "SHIPSTREAM_ASC_ISSUER_ID";
    public static final String ISSUER_ID_DOC = "The issuer id of the team (the JWT iss).";
    /** Path of the {@code .p8} file (PKCS#8, EC P-256) downloaded from App Store Connect. */
    public static final String PRIVATE_KEY_FILE_ENV = "SHIPSTREAM_ASC_PRIVATE_KEY_FILE";
    public static final String PRIVATE_KEY_FILE_DOC = "Path of the API key's .p8 file (PKCS#8, EC P-256) "
            + "downloaded from App Store Connect; read once at start-up.";

    public static final String MAX_HOLD_MS_ENV = "SHIPSTREAM_ASC_MAX_HOLD_MS";
    /** Ten minutes. */
    public static final Duration MAX_HOLD_DEFAULT = Duration.ofMinutes(10);
    public static final String MAX_HOLD_MS_DOC = "Longest time an event waits for its lookup (a failing API) before "
            + "it is emitted with enrichment status UNAVAILABLE, in milliseconds.";
    public static final String CONNECT_TIMEOUT_MS_ENV = "SHIPSTREAM_ASC_CONNECT_TIMEOUT_MS";
    /** One second. */
    public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(1);
    public static final String CONNECT_TIMEOUT_MS_DOC = "Time to open a connection to the API, in milliseconds.";
    public static final String REQUEST_TIMEOUT_MS_ENV = "SHIPSTREAM_ASC_REQUEST_TIMEOUT_MS";
    /** Two seconds. */
    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(2);
    public static final String REQUEST_TIMEOUT_MS_DOC = "Time one lookup may take in all (its one or two requests, "
            + "body included), in milliseconds; the stream thread never waits longer per lookup. A listing of an "
            + "app's review submissions (all its pages) has the same bound.";
    public static final String RETRY_BACKOFF_MS_ENV = "SHIPSTREAM_ASC_RETRY_BACKOFF_MS";
    /** Five seconds. */
    public static final Duration RETRY_BACKOFF_DEFAULT = Duration.ofSeconds(5);
    public static final String RETRY_BACKOFF_MS_DOC = "Wait before the first retry of a held event, in "
            + "milliseconds; it doubles with every failed attempt.";
    public static final String RETRY_BACKOFF_MAX_MS_ENV = "SHIPSTREAM_ASC_RETRY_BACKOFF_MAX_MS";
    /** Two minutes. */
    public static final Duration RETRY_BACKOFF_MAX_DEFAULT = Duration.ofMinutes(2);
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "Longest wait between two retries of a held event, in "
            + "milliseconds; not less than " + RETRY_BACKOFF_MS_ENV + ".";
    public static final String FAILURE_PAUSE_MS_ENV = "SHIPSTREAM_ASC_FAILURE_PAUSE_MS";
    /** One second. */
    public static final Duration FAILURE_PAUSE_DEFAULT = Duration.ofSeconds(1);
    public static final String FAILURE_PAUSE_MS_DOC = "Pause of all lookups after a timeout, connection failure or "
            + "5xx, in milliseconds; doubles while they last.";
    public static final String FAILURE_PAUSE_MAX_MS_ENV = "SHIPSTREAM_ASC_FAILURE_PAUSE_MAX_MS";
    /** One minute. */
    public static final Duration FAILURE_PAUSE_MAX_DEFAULT = Duration.ofMinutes(1);
    public static final String FAILURE_PAUSE_MAX_MS_DOC = "Longest pause of all lookups after failures, in "
            + "milliseconds; not less than " + FAILURE_PAUSE_MS_ENV + ".";
    public static final String RATE_LIMIT_BACKOFF_MS_ENV = "SHIPSTREAM_ASC_RATE_LIMIT_BACKOFF_MS";
    /** One minute. */
    public static final Duration RATE_LIMIT_BACKOFF_DEFAULT = Duration.ofMinutes(1);
    public static final String RATE_LIMIT_BACKOFF_MS_DOC = "Pause of all lookups after a 429 without Retry-After, "
            + "in milliseconds; doubles per further 429.";
    public static final String RATE_LIMIT_BACKOFF_MAX_MS_ENV = "SHIPSTREAM_ASC_RATE_LIMIT_BACKOFF_MAX_MS";
    /** Fifteen minutes. */
    public static final Duration RATE_LIMIT_BACKOFF_MAX_DEFAULT = Duration.ofMinutes(15);
    public static final String RATE_LIMIT_BACKOFF_MAX_MS_DOC = "Longest pause after 429s, also the cap of a "
            + "Retry-After, in milliseconds; not less than " + RATE_LIMIT_BACKOFF_MS_ENV + ".";
    public static final String QUOTA_RESERVE_ENV = "SHIPSTREAM_ASC_QUOTA_RESERVE";
    /** One hundred requests. */
    public static final long QUOTA_RESERVE_DEFAULT = 100;
    public static final String QUOTA_RESERVE_DOC = "Requests per hour left unused for other tools sharing the key; "
            + "at or below it lookups only probe.";
    public static final String LOW_QUOTA_PAUSE_MS_ENV = "SHIPSTREAM_ASC_LOW_QUOTA_PAUSE_MS";
    /** One minute. */
    public static final Duration LOW_QUOTA_PAUSE_DEFAULT = Duration.ofMinutes(1);
    public static final String LOW_QUOTA_PAUSE_MS_DOC = "Time between probing requests while the remaining quota "
            + "is at or below the reserve, in milliseconds.";
    public static final String AUTH_PAUSE_MS_ENV = "SHIPSTREAM_ASC_AUTH_PAUSE_MS";
    /** Five minutes. */
    public static final Duration AUTH_PAUSE_DEFAULT = Duration.ofMinutes(5);
    public static final String AUTH_PAUSE_MS_DOC = "Time after a 401/403 during which no lookup is made and events go "
            + "out UNAVAILABLE, in milliseconds.";
    public static final String PUNCTUATION_INTERVAL_MS_ENV = "SHIPSTREAM_ASC_PUNCTUATION_INTERVAL_MS";
    /** One second. */
    public static final Duration PUNCTUATION_INTERVAL_DEFAULT = Duration.ofSeconds(1);
    public static final String PUNCTUATION_INTERVAL_MS_DOC = "How often held events are looked at (wall-clock "
            + "punctuation), in milliseconds.";
    public static final String MAX_EVENTS_PER_PUNCTUATION_ENV = "SHIPSTREAM_ASC_MAX_EVENTS_PER_PUNCTUATION";
    /** Twenty events. */
    public static final int MAX_EVENTS_PER_PUNCTUATION_DEFAULT = 20;
    public static final String MAX_EVENTS_PER_PUNCTUATION_DOC = "Most held events one punctuation resolves or "
            + "retries.";
    public static final String PUNCTUATION_TIME_BUDGET_MS_ENV = "SHIPSTREAM_ASC_PUNCTUATION_TIME_BUDGET_MS";
    /** Four seconds. */
    public static final Duration PUNCTUATION_TIME_BUDGET_DEFAULT = Duration.ofSeconds(4);
    public static final String PUNCTUATION_TIME_BUDGET_MS_DOC = "Wall time after which a punctuation starts no "
            + "further lookup, in milliseconds.";
    public static final String MAX_HELD_PER_KEY_ENV = "SHIPSTREAM_ASC_MAX_HELD_PER_KEY";
    /** One hundred events. */
    public static final int MAX_HELD_PER_KEY_DEFAULT = 100;
    public static final String MAX_HELD_PER_KEY_DOC = "Most events held per entity key; on overflow the oldest goes "
            + "out UNAVAILABLE.";
    public static final String MAX_HELD_TOTAL_ENV = "SHIPSTREAM_ASC_MAX_HELD_TOTAL";
    /** Ten thousand events. */
    public static final int MAX_HELD_TOTAL_DEFAULT = 10_000;
    public static final String MAX_HELD_TOTAL_DOC = "Most events held per task (input partition); on overflow "
            + "events go out UNAVAILABLE.";
    public static final String CACHE_SIZE_ENV = "SHIPSTREAM_ASC_CACHE_SIZE";
    /** Ten thousand entries. */
    public static final int CACHE_SIZE_DEFAULT = 10_000;
    public static final String CACHE_SIZE_DOC = "Most lookup results kept in the cache, and most apps whose review "
            + "submission list is kept; 0 disables both.";
    public static final String CACHE_TTL_MS_ENV = "SHIPSTREAM_ASC_CACHE_TTL_MS";
    /** Ten minutes. */
    public static final Duration CACHE_TTL_DEFAULT = Duration.ofMinutes(10);
    public static final String CACHE_TTL_MS_DOC = "How long a cached lookup result or review submission list is "
            + "reused, in milliseconds.";
    public static final String CRASH_LOG_MAX_CHARS_ENV = "SHIPSTREAM_ASC_CRASH_LOG_MAX_CHARS";
    /** Four thousand characters. */
    public static final int CRASH_LOG_MAX_CHARS_DEFAULT = 4_000;
    public static final String CRASH_LOG_MAX_CHARS_DOC = "Most characters of a TestFlight crash log copied into the "
            + "event.";

    private static final Pattern LOOPBACK_V4 =
            Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    // Read on their own first: without them the stage is not configured and no tuning is read.
    private static final ConfigDef KEY_DEF = new ConfigDef()
            .define(KEY_ID_ENV, Type.STRING, null, Importance.HIGH, KEY_ID_DOC)
            .define(ISSUER_ID_ENV, Type.STRING, null, Importance.HIGH, ISSUER_ID_DOC)
            .define(PRIVATE_KEY_FILE_ENV, Type.STRING, null, Importance.HIGH, PRIVATE_KEY_FILE_DOC);

    private static final ConfigDef CONFIG_DEF = new ConfigDef(KEY_DEF)
            .define(API_URL_ENV, Type.STRING, API_URL_DEFAULT, EnrichmentSettings::validateApiUrl,
                    Importance.HIGH, API_URL_DOC)
            .define(MAX_HOLD_MS_ENV, Type.LONG, MAX_HOLD_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.HIGH, MAX_HOLD_MS_DOC)
            .define(REQUEST_TIMEOUT_MS_ENV, Type.LONG, REQUEST_TIMEOUT_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.MEDIUM, REQUEST_TIMEOUT_MS_DOC)
            .define(CONNECT_TIMEOUT_MS_ENV, Type.LONG, CONNECT_TIMEOUT_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.MEDIUM, CONNECT_TIMEOUT_MS_DOC)
            .define(RETRY_BACKOFF_MS_ENV, Type.LONG, RETRY_BACKOFF_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS_ENV, Type.LONG, RETRY_BACKOFF_MAX_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC)
            .define(FAILURE_PAUSE_MS_ENV, Type.LONG, FAILURE_PAUSE_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, FAILURE_PAUSE_MS_DOC)
            .define(FAILURE_PAUSE_MAX_MS_ENV, Type.LONG, FAILURE_PAUSE_MAX_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, FAILURE_PAUSE_MAX_MS_DOC)
            .define(RATE_LIMIT_BACKOFF_MS_ENV, Type.LONG, RATE_LIMIT_BACKOFF_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, RATE_LIMIT_BACKOFF_MS_DOC)
            .define(RATE_LIMIT_BACKOFF_MAX_MS_ENV, Type.LONG, RATE_LIMIT_BACKOFF_MAX_DEFAULT.toMillis(),
                    Range.atLeast(1), Importance.LOW, RATE_LIMIT_BACKOFF_MAX_MS_DOC)
            .define(QUOTA_RESERVE_ENV, Type.LONG, QUOTA_RESERVE_DEFAULT, Range.atLeast(0),
                    Importance.LOW, QUOTA_RESERVE_DOC)
            .define(LOW_QUOTA_PAUSE_MS_ENV, Type.LONG, LOW_QUOTA_PAUSE_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, LOW_QUOTA_PAUSE_MS_DOC)
            .define(AUTH_PAUSE_MS_ENV, Type.LONG, AUTH_PAUSE_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, AUTH_PAUSE_MS_DOC)
            .define(PUNCTUATION_INTERVAL_MS_ENV, Type.LONG, PUNCTUATION_INTERVAL_DEFAULT.toMillis(),
                    Range.atLeast(1), Importance.LOW, PUNCTUATION_INTERVAL_MS_DOC)
            .define(MAX_EVENTS_PER_PUNCTUATION_ENV, Type.INT, MAX_EVENTS_PER_PUNCTUATION_DEFAULT, Range.atLeast(1),
                    Importance.LOW, MAX_EVENTS_PER_PUNCTUATION_DOC)
            .define(PUNCTUATION_TIME_BUDGET_MS_ENV, Type.LONG, PUNCTUATION_TIME_BUDGET_DEFAULT.toMillis(),
                    Range.atLeast(1), Importance.LOW, PUNCTUATION_TIME_BUDGET_MS_DOC)
            .define(MAX_HELD_PER_KEY_ENV, Type.INT, MAX_HELD_PER_KEY_DEFAULT, Range.atLeast(1),
                    Importance.LOW, MAX_HELD_PER_KEY_DOC)
            .define(MAX_HELD_TOTAL_ENV, Type.INT, MAX_HELD_TOTAL_DEFAULT, Range.atLeast(1),
                    Importance.LOW, MAX_HELD_TOTAL_DOC)
            .define(CACHE_SIZE_ENV, Type.INT, CACHE_SIZE_DEFAULT, Range.atLeast(0), Importance.LOW, CACHE_SIZE_DOC)
            .define(CACHE_TTL_MS_ENV, Type.LONG, CACHE_TTL_DEFAULT.toMillis(), Range.atLeast(1),
                    Importance.LOW, CACHE_TTL_MS_DOC)
            .define(CRASH_LOG_MAX_CHARS_ENV, Type.INT, CRASH_LOG_MAX_CHARS_DEFAULT, Range.atLeast(0),
                    Importance.LOW, CRASH_LOG_MAX_CHARS_DOC);

    private final URI apiUrl;

    private EnrichmentSettings(Map<String, ?> values) {
        super(CONFIG_DEF, values);
        this.apiUrl = normalized(URI.create(getString(API_URL_ENV)));
        notLessThan(RETRY_BACKOFF_MAX_MS_ENV, RETRY_BACKOFF_MS_ENV);
        notLessThan(FAILURE_PAUSE_MAX_MS_ENV, FAILURE_PAUSE_MS_ENV);
        notLessThan(RATE_LIMIT_BACKOFF_MAX_MS_ENV, RATE_LIMIT_BACKOFF_MS_ENV);
    }

    /** The variables, types, defaults, validators and documentation, e.g. for generated docs. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
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
        return parse(() -> new EnrichmentSettings(variables(CONFIG_DEF, env)));
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
        EnvironmentConfig key = read(KEY_DEF, env);
        Optional<String> keyId = key.getOptionalString(KEY_ID_ENV);
        Optional<String> issuerId = key.getOptionalString(ISSUER_ID_ENV);
        Optional<String> keyFile = key.getOptionalString(PRIVATE_KEY_FILE_ENV);
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

    private void notLessThan(String max, String min) {
        if (getLong(max) < getLong(min)) {
            throw new ConfigException(max, getLong(max), "must not be less than " + min + " (" + getLong(min) + ")");
        }
    }

    private static void validateApiUrl(String name, Object value) {
        String text = (String) value;
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri == null || uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(path.isEmpty() || path.equals("/"))) {
            throw new ConfigException(name, value, "must be an absolute http(s) URL with a host and no path, query "
                    + "or credentials");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw new ConfigException(name, value, "must use https: every request carries the API token, which http "
                    + "would send in clear (http is allowed only for a loopback host: localhost, 127.0.0.0/8, [::1])");
        }
    }

    private static URI normalized(URI uri) {
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority());
    }

    // Decided from the literal host alone, never by a DNS lookup, which could answer differently later.
    private static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || LOOPBACK_V4.matcher(h).matches()
                || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]");
    }

    /** The API's base URL (scheme and authority only); lookups are built against it. */
    public URI apiUrl() {
        return apiUrl;
    }

    /** Longest wait of an event for its lookup. */
    public Duration maxHold() {
        return getMillis(MAX_HOLD_MS_ENV);
    }

    /** Time to open a connection. */
    public Duration connectTimeout() {
        return getMillis(CONNECT_TIMEOUT_MS_ENV);
    }

    /** Time one lookup may take in all. */
    public Duration requestTimeout() {
        return getMillis(REQUEST_TIMEOUT_MS_ENV);
    }

    /** Wait before the first retry of a held event. */
    public Duration retryBackoff() {
        return getMillis(RETRY_BACKOFF_MS_ENV);
    }

    /** Longest wait between retries of a held event. */
    public Duration retryBackoffMax() {
        return getMillis(RETRY_BACKOFF_MAX_MS_ENV);
    }

    /** First pause of all lookups after a transient failure. */
    public Duration failurePause() {
        return getMillis(FAILURE_PAUSE_MS_ENV);
    }

    /** Longest pause of all lookups after transient failures. */
    public Duration failurePauseMax() {
        return getMillis(FAILURE_PAUSE_MAX_MS_ENV);
    }

    /** First pause after a 429 without {@code Retry-After}. */
    public Duration rateLimitBackoff() {
        return getMillis(RATE_LIMIT_BACKOFF_MS_ENV);
    }

    /** Longest pause after 429s. */
    public Duration rateLimitBackoffMax() {
        return getMillis(RATE_LIMIT_BACKOFF_MAX_MS_ENV);
    }

    /** Requests per hour kept unused. */
    public long quotaReserve() {
        return getLong(QUOTA_RESERVE_ENV);
    }

    /** Time between probes while quota is low. */
    public Duration lowQuotaPause() {
        return getMillis(LOW_QUOTA_PAUSE_MS_ENV);
    }

    /** Time without lookups after a 401/403. */
    public Duration authPause() {
        return getMillis(AUTH_PAUSE_MS_ENV);
    }

    /** How often held events are looked at. */
    public Duration punctuationInterval() {
        return getMillis(PUNCTUATION_INTERVAL_MS_ENV);
    }

    /** Most held events per punctuation. */
    public int maxEventsPerPunctuation() {
        return getInt(MAX_EVENTS_PER_PUNCTUATION_ENV);
    }

    /** Wall time after which a punctuation starts no lookup. */
    public Duration punctuationTimeBudget() {
        return getMillis(PUNCTUATION_TIME_BUDGET_MS_ENV);
    }

    /** Most held events per entity key. */
    public int maxHeldPerKey() {
        return getInt(MAX_HELD_PER_KEY_ENV);
    }

    /** Most held events per task. */
    public int maxHeldTotal() {
        return getInt(MAX_HELD_TOTAL_ENV);
    }

    /** Most cached lookup results. */
    public int cacheSize() {
        return getInt(CACHE_SIZE_ENV);
    }

    /** How long a lookup result is reused. */
    public Duration cacheTtl() {
        return getMillis(CACHE_TTL_MS_ENV);
    }

    /** Most characters of a crash log kept. */
    public int crashLogMaxChars() {
        return getInt(CRASH_LOG_MAX_CHARS_ENV);
    }

    /**
     * Mutable holder of the settings for tests and embedding launchers; starts with every default. {@link #build()}
     * validates exactly as {@link #fromEnvironment(Map)} does, with the same messages.
     */
    public static final class Builder {
        private final Map<String, Object> values = new HashMap<>();

        private Builder() {
        }

        private Builder millis(String name, Duration v) {
            values.put(name, Objects.requireNonNull(v, name).toMillis());
            return this;
        }

        /** @see EnrichmentSettings#apiUrl() */
        public Builder apiUrl(URI v) {
            values.put(API_URL_ENV, Objects.requireNonNull(v, API_URL_ENV).toString());
            return this;
        }
        /** @see EnrichmentSettings#maxHold() */
        public Builder maxHold(Duration v) { return millis(MAX_HOLD_MS_ENV, v); }
        /** @see EnrichmentSettings#connectTimeout() */
        public Builder connectTimeout(Duration v) { return millis(CONNECT_TIMEOUT_MS_ENV, v); }
        /** @see EnrichmentSettings#requestTimeout() */
        public Builder requestTimeout(Duration v) { return millis(REQUEST_TIMEOUT_MS_ENV, v); }
        /** @see EnrichmentSettings#retryBackoff() */
        public Builder retryBackoff(Duration v) { return millis(RETRY_BACKOFF_MS_ENV, v); }
        /** @see EnrichmentSettings#retryBackoffMax() */
        public Builder retryBackoffMax(Duration v) { return millis(RETRY_BACKOFF_MAX_MS_ENV, v); }
        /** @see EnrichmentSettings#failurePause() */
        public Builder failurePause(Duration v) { return millis(FAILURE_PAUSE_MS_ENV, v); }
        /** @see EnrichmentSettings#failurePauseMax() */
        public Builder failurePauseMax(Duration v) { return millis(FAILURE_PAUSE_MAX_MS_ENV, v); }
        /** @see EnrichmentSettings#rateLimitBackoff() */
        public Builder rateLimitBackoff(Duration v) { return millis(RATE_LIMIT_BACKOFF_MS_ENV, v); }
        /** @see EnrichmentSettings#rateLimitBackoffMax() */
        public Builder rateLimitBackoffMax(Duration v) { return millis(RATE_LIMIT_BACKOFF_MAX_MS_ENV, v); }
        /** @see EnrichmentSettings#quotaReserve() */
        public Builder quotaReserve(long v) { values.put(QUOTA_RESERVE_ENV, v); return this; }
        /** @see EnrichmentSettings#lowQuotaPause() */
        public Builder lowQuotaPause(Duration v) { return millis(LOW_QUOTA_PAUSE_MS_ENV, v); }
        /** @see EnrichmentSettings#authPause() */
        public Builder authPause(Duration v) { return millis(AUTH_PAUSE_MS_ENV, v); }
        /** @see EnrichmentSettings#punctuationInterval() */
        public Builder punctuationInterval(Duration v) { return millis(PUNCTUATION_INTERVAL_MS_ENV, v); }
        /** @see EnrichmentSettings#maxEventsPerPunctuation() */
        public Builder maxEventsPerPunctuation(int v) { values.put(MAX_EVENTS_PER_PUNCTUATION_ENV, v); return this; }
        /** @see EnrichmentSettings#punctuationTimeBudget() */
        public Builder punctuationTimeBudget(Duration v) { return millis(PUNCTUATION_TIME_BUDGET_MS_ENV, v); }
        /** @see EnrichmentSettings#maxHeldPerKey() */
        public Builder maxHeldPerKey(int v) { values.put(MAX_HELD_PER_KEY_ENV, v); return this; }
        /** @see EnrichmentSettings#maxHeldTotal() */
        public Builder maxHeldTotal(int v) { values.put(MAX_HELD_TOTAL_ENV, v); return this; }
        /** @see EnrichmentSettings#cacheSize() */
        public Builder cacheSize(int v) { values.put(CACHE_SIZE_ENV, v); return this; }
        /** @see EnrichmentSettings#cacheTtl() */
        public Builder cacheTtl(Duration v) { return millis(CACHE_TTL_MS_ENV, v); }
        /** @see EnrichmentSettings#crashLogMaxChars() */
        public Builder crashLogMaxChars(int v) { values.put(CRASH_LOG_MAX_CHARS_ENV, v); return this; }

        /**
         * Validates and builds.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the variable of the value that is out of range
         */
        public EnrichmentSettings build() {
            return parse(() -> new EnrichmentSettings(values));
        }
    }
}
