package dev.shipstream.streams.topology;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every payload under {@code src/test/resources/payloads}, found by walking the folder so a new fixture is covered
 * without editing a list, wrapped in a {@link RawWebhook} as the ingress publishes it.
 */
final class Fixtures {

    static final Instant RECEIVED_AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private static final Map<String, Source> SOURCE_BY_FOLDER = Map.of(
            "asc", Source.APP_STORE_CONNECT, "eas", Source.EAS, "appflow", Source.APPFLOW);

    /** The category a fixture must get, by its path prefix; written out here rather than asked of the normaliser. */
    private static final Map<String, EventCategory> CATEGORY_BY_PREFIX = Map.ofEntries(
            Map.entry("asc/appStoreVersion", EventCategory.APP_VERSION_STATE),
            Map.entry("asc/buildUpload", EventCategory.BUILD_UPLOAD_STATE),
            Map.entry("asc/buildBetaDetail", EventCategory.TESTFLIGHT_BUILD_STATE),
            Map.entry("asc/betaFeedback", EventCategory.TESTFLIGHT_FEEDBACK),
            Map.entry("asc/backgroundAsset", EventCategory.BACKGROUND_ASSET),
            Map.entry("asc/alternativeDistribution", EventCategory.ALTERNATIVE_DISTRIBUTION),
            Map.entry("asc/webhookPing", EventCategory.PING),
            Map.entry("eas/build", EventCategory.EAS_BUILD),
            Map.entry("eas/submit", EventCategory.EAS_SUBMISSION),
            Map.entry("appflow/", EventCategory.APPFLOW_BUILD));

    /**
     * One payload file.
     *
     * @param path   relative to {@code payloads/}, e.g. {@code asc/buildUploadStateUpdated-failed.json}
     * @param source the provider whose route receives it
     * @param body   its bytes
     */
    record Fixture(String path, Source source, byte[] body) {

        RawWebhook raw() {
            return Fixtures.raw(source, body);
        }

        EventCategory expectedCategory() {
            return CATEGORY_BY_PREFIX.entrySet().stream()
                    .filter(e -> path.startsWith(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no expected category for fixture " + path));
        }

        @Override
        public String toString() {
            return path;
        }
    }

    private Fixtures() {
    }

    static List<Fixture> all() {
        URL root = Fixtures.class.getResource("/payloads");
        try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
            Path base = Path.of(root.toURI());
            return files.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> base.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .map(path -> new Fixture(path, SOURCE_BY_FOLDER.get(path.substring(0, path.indexOf('/'))),
                            read(base.resolve(path))))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Fixture named(String path) {
        return all().stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no fixture " + path));
    }

    static RawWebhook raw(Source source, byte[] body) {
        return RawWebhook.newBuilder()
                .setSource(source)
                .setEndpointId("default")
                .setReceivedAt(RECEIVED_AT)
                .setRequestId("req-1")
                .setBody(ByteBuffer.wrap(body))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
    }

    static RawWebhook raw(Source source, String json) {
        return raw(source, json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
