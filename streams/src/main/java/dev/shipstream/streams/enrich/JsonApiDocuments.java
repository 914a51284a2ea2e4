package dev.shipstream.streams.enrich;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON:API documents of the lookups into {@link EntityDetails}. Pure; tolerant of absent members (a
 * relationship without {@code data}, an {@code included} without the resource): what is missing stays null.
 */
final class JsonApiDocuments {

    // Bounds what one event can carry from the API; a feedback comment or a warning list could be long.
    static final int MAX_TEXT_CHARS = 2_000;
    static final int MAX_SCREENSHOTS = 10;

    private JsonApiDocuments() {
    }

    /** {@code GET /v1/appStoreVersions/{id}?include=app,build}. */
    static EntityDetails appStoreVersion(JsonNode doc) {
        JsonNode data = doc.path("data");
        JsonNode attributes = data.path("attributes");
        JsonNode app = included(doc, "apps", relatedId(data, "app"));
        JsonNode build = included(doc, "builds", relatedId(data, "build"));
        String state = text(attributes, "appVersionState");
        return new EntityDetails(
                state != null ? state : text(attributes, "appStoreState"),
                text(attributes, "versionString"),
                text(build.path("attributes"), "version"),
                firstNonNull(relatedId(data, "app"), text(app, "id")),
                text(app.path("attributes"), "name"),
                text(app.path("attributes"), "bundleId"),
                text(attributes, "platform"),
                List.of(),
                Map.of());
    }

    /** {@code GET /v1/buildUploads/{id}?include=build}: versions, and the state's errors and warnings. */
    static EntityDetails buildUpload(JsonNode doc) {
        JsonNode data = doc.path("data");
        JsonNode attributes = data.path("attributes");
        JsonNode state = attributes.path("state");
        JsonNode build = included(doc, "builds", relatedId(data, "build"));
        List<EntityDetails.Problem> errors = problems(state.path("errors"));
        Map<String, String> extras = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (EntityDetails.Problem warning : problems(state.path("warnings"))) {
            warnings.add(warning.code() == null ? warning.message() : warning.code() + ": " + warning.message());
        }
        put(extras, EnrichmentExtras.WARNINGS, warnings.isEmpty() ? null : String.join("\n", warnings));
        return new EntityDetails(
                text(state, "state"),
                text(attributes, "cfBundleShortVersionString"),
                firstNonNull(text(attributes, "cfBundleVersion"), text(build.path("attributes"), "version")),
                null,
                null,
                null,
                text(attributes, "platform"),
                errors,
                extras);
    }

    /**
     * One page of {@code GET /v1/reviewSubmissions?filter[app]=...&include=appStoreVersionForReview}: each submission's
     * id, version, {@code submittedDate} (ISO-8601 with an offset; unreadable counts as absent) and state. A resource
     * without an id is skipped.
     */
    static List<ReviewSubmission> reviewSubmissions(JsonNode doc) {
        List<ReviewSubmission> submissions = new ArrayList<>();
        for (JsonNode data : doc.path("data")) {
            String id = text(data, "id");
            if (id == null) {
                continue;
            }
            JsonNode attributes = data.path("attributes");
            submissions.add(new ReviewSubmission(id, relatedId(data, "appStoreVersionForReview"),
                    instant(text(attributes, "submittedDate")), text(attributes, "state")));
        }
        return submissions;
    }

    /** A page's {@code links.next}, or null on the last page. */
    static String nextLink(JsonNode doc) {
        return text(doc.path("links"), "next");
    }

    private static java.time.Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The build id of {@code GET /v1/buildBetaDetails/{id}?include=build}. */
    static Optional<String> betaDetailBuildId(JsonNode doc) {
        return Optional.ofNullable(firstNonNull(relatedId(doc.path("data"), "build"),
                text(included(doc, "builds", null), "id")));
    }

    /**
     * {@code GET /v1/buildBetaDetails/{id}?include=build} and, when its build was found, {@code GET
     * /v1/builds/{buildId}?include=preReleaseVersion,app}.
     */
    static EntityDetails buildBetaDetail(JsonNode betaDetailDoc, JsonNode buildDoc) {
        JsonNode attributes = betaDetailDoc.path("data").path("attributes");
        JsonNode buildData = buildDoc == null ? missing() : buildDoc.path("data");
        JsonNode includedBuild = included(betaDetailDoc, "builds", relatedId(betaDetailDoc.path("data"), "build"));
        JsonNode preRelease = buildDoc == null ? missing()
                : included(buildDoc, "preReleaseVersions", relatedId(buildData, "preReleaseVersion"));
        JsonNode app = buildDoc == null ? missing() : included(buildDoc, "apps", relatedId(buildData, "app"));
        Map<String, String> extras = new LinkedHashMap<>();
        put(extras, EnrichmentExtras.INTERNAL_BUILD_STATE, text(attributes, "internalBuildState"));
        return new EntityDetails(
                text(attributes, "externalBuildState"),
                text(preRelease.path("attributes"), "version"),
                firstNonNull(text(buildData.path("attributes"), "version"),
                        text(includedBuild.path("attributes"), "version")),
                firstNonNull(relatedId(buildData, "app"), text(app, "id")),
                text(app.path("attributes"), "name"),
                text(app.path("attributes"), "bundleId"),
                text(preRelease.path("attributes"), "platform"),
                List.of(),
                extras);
    }

    /**
     * {@code GET /v1/betaFeedback{Crash,Screenshot}Submissions/{id}?include=build,tester}, with the crash log text
     * when there is one.
     */
    static EntityDetails feedback(JsonNode doc, String crashLogText, int crashLogMaxChars) {
        JsonNode data = doc.path("data");
        JsonNode attributes = data.path("attributes");
        JsonNode build = included(doc, "builds", relatedId(data, "build"));
        JsonNode tester = included(doc, "betaTesters", relatedId(data, "tester")).path("attributes");
        Map<String, String> extras = new LinkedHashMap<>();
        put(extras, EnrichmentExtras.TESTER_EMAIL, firstNonNull(text(attributes, "email"), text(tester, "email")));
        String name = String.join(" ", nonNull(text(tester, "firstName"), text(tester, "lastName"))).trim();
        put(extras, EnrichmentExtras.TESTER_NAME, name.isEmpty() ? null : name);
        put(extras, EnrichmentExtras.FEEDBACK_COMMENT, text(attributes, "comment"));
        put(extras, EnrichmentExtras.FEEDBACK_CREATED_AT, text(attributes, "createdDate"));
        put(extras, EnrichmentExtras.DEVICE_MODEL, text(attributes, "deviceModel"));
        put(extras, EnrichmentExtras.DEVICE_FAMILY, text(attributes, "deviceFamily"));
        put(extras, EnrichmentExtras.DEVICE_PLATFORM, text(attributes, "devicePlatform"));
        put(extras, EnrichmentExtras.OS_VERSION, text(attributes, "osVersion"));
        put(extras, EnrichmentExtras.LOCALE, text(attributes, "locale"));
        put(extras, EnrichmentExtras.TIME_ZONE, text(attributes, "timeZone"));
        put(extras, EnrichmentExtras.ARCHITECTURE, text(attributes, "architecture"));
        put(extras, EnrichmentExtras.CONNECTION_TYPE, text(attributes, "connectionType"));
        put(extras, EnrichmentExtras.BATTERY_PERCENTAGE, text(attributes, "batteryPercentage"));
        List<String> urls = new ArrayList<>();
        for (JsonNode screenshot : attributes.path("screenshots")) {
            String url = text(screenshot, "url");
            if (url != null && isWebUrl(url) && urls.size() < MAX_SCREENSHOTS) {
                urls.add(url);
            }
        }
        put(extras, EnrichmentExtras.SCREENSHOT_URLS, urls.isEmpty() ? null : String.join("\n", urls));
        if (crashLogText != null && crashLogMaxChars > 0) {
            boolean truncated = crashLogText.length() > crashLogMaxChars;
            extras.put(EnrichmentExtras.CRASH_LOG, truncated ? cut(crashLogText, crashLogMaxChars) : crashLogText);
            if (truncated) {
                extras.put(EnrichmentExtras.CRASH_LOG_TRUNCATED, "true");
            }
        }
        return new EntityDetails(
                null,
                null,
                text(build.path("attributes"), "version"),
                null,
                null,
                text(attributes, "buildBundleId"),
                firstNonNull(text(attributes, "appPlatform"), text(attributes, "devicePlatform")),
                List.of(),
                extras);
    }

    /** {@code GET /v1/betaFeedbackCrashSubmissions/{id}/crashLog}: {@code data.attributes.logText}. */
    static String crashLogText(JsonNode doc) {
        // Not through text(): the crash log has its own, configurable bound, applied by feedback().
        JsonNode logText = doc.path("data").path("attributes").path("logText");
        return logText.isTextual() && !logText.textValue().isBlank() ? logText.textValue() : null;
    }

    /** {@code errors[0]} of an error document as {@code CODE: title}, or null. */
    static String firstError(JsonNode doc) {
        JsonNode error = doc.path("errors").path(0);
        String code = text(error, "code");
        String title = firstNonNull(text(error, "title"), text(error, "detail"));
        if (code == null && title == null) {
            return null;
        }
        return cut(code == null ? title : title == null ? code : code + ": " + title, 300);
    }

    private static List<EntityDetails.Problem> problems(JsonNode array) {
        List<EntityDetails.Problem> out = new ArrayList<>();
        for (JsonNode item : array) {
            String message = firstNonNull(text(item, "description"), text(item, "message"));
            String code = text(item, "code");
            if (message != null || code != null) {
                out.add(new EntityDetails.Problem(code, message != null ? message : code));
            }
        }
        return out;
    }

    private static String relatedId(JsonNode data, String relationship) {
        return text(data.path("relationships").path(relationship).path("data"), "id");
    }

    private static JsonNode included(JsonNode doc, String type, String id) {
        for (JsonNode resource : doc.path("included")) {
            if (type.equals(text(resource, "type")) && (id == null || id.equals(text(resource, "id")))) {
                return resource;
            }
        }
        return missing();
    }

    private static JsonNode missing() {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            String s = value.asText();
            return s.isBlank() ? null : cut(s, MAX_TEXT_CHARS);
        }
        return null;
    }

    private static boolean isWebUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    private static void put(Map<String, String> extras, String key, String value) {
        if (value != null) {
            extras.put(key, value);
        }
    }

    private static List<String> nonNull(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The first {@code max} characters, not splitting a surrogate pair. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
