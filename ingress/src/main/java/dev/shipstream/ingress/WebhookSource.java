package dev.shipstream.ingress;

import dev.shipstream.schemas.Source;
import java.util.Optional;

/**
 * The providers the ingress receives webhooks from, with the names each one goes by: the path segment of its route
 * ({@code /webhooks/<pathSegment>/<endpoint>}), the key prefix of its entity keys, the metric tag and the
 * {@link Source} written into {@code RawWebhook} records.
 */
public enum WebhookSource {
    APP_STORE_CONNECT("app-store-connect", "asc", Source.APP_STORE_CONNECT),
    EAS("eas", "eas", Source.EAS),
    APPFLOW("appflow", "appflow", Source.APPFLOW);

    private final String pathSegment;
    private final String keyPrefix;
    private final Source schemaSource;

    WebhookSource(String pathSegment, String keyPrefix, Source schemaSource) {
        this.pathSegment = pathSegment;
        this.keyPrefix = keyPrefix;
        this.schemaSource = schemaSource;
    }

    /** The route segment, also the name used in configuration files and metric tags. */
    public String pathSegment() {
        return pathSegment;
    }

    /** The first component of this source's entity keys, e.g. {@code asc} in {@code asc:buildUploads:<id>}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The value of {@code RawWebhook.source}. */
    public Source schemaSource() {
        return schemaSource;
    }

    /** The source whose path segment is {@code segment}, if any. */
    public static Optional<WebhookSource> fromPathSegment(String segment) {
        for (WebhookSource source : values()) {
            if (source.pathSegment.equals(segment)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
