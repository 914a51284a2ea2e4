package dev.shipstream.streams.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook bodies built from the shared fixtures ({@code src/test/resources/payloads/}) with ids of the test's own, so
 * that no two tests (nor two runs against a kept broker) share an event id or an entity, and the signatures the
 * providers put on them, computed here with {@code javax.crypto} independently of the ingress' verifiers.
 */
final class Webhooks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Webhooks() {
    }

    /** A fresh id of the shape App Store Connect, EAS and Appflow use (a UUID). */
    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * An App Store Connect webhook from {@code payloads/<fixture>} with {@code data.id} set to {@code eventId} and its
     * instance (and the instance's self link) to {@code entityId}.
     */
    static byte[] appStoreConnect(String fixture, String eventId, String entityId) {
        ObjectNode root = parse(fixture);
        ObjectNode data = (ObjectNode) root.required("data");
        data.put("id", eventId);
        ObjectNode instance = (ObjectNode) data.required("relationships").required("instance");
        ObjectNode instanceData = (ObjectNode) instance.required("data");
        instanceData.put("id", entityId);
        if (instance.has("links")) {
            ((ObjectNode) instance.get("links")).put("self", "https://api.appstoreconnect.apple.com/v1/"
                    + instanceData.required("type").asText() + "/" + entityId);
        }
        return write(root);
    }

    /** An EAS webhook from {@code payloads/<fixture>} with its top-level {@code id} set to {@code id}. */
    static byte[] eas(String fixture, String id) {
        ObjectNode root = parse(fixture);
        root.put("id", id);
        return write(root);
    }

    /** An Appflow webhook from {@code payloads/<fixture>} with its top-level {@code id} set to {@code id}. */
    static byte[] appflow(String fixture, String id) {
        ObjectNode root = parse(fixture);
        root.put("id", id);
        return write(root);
    }

    /** {@code hmacsha256=<hex>}, the {@code x-apple-signature} App Store Connect sends. */
    static String appleSignature(String secret, byte[] body) {
        return "hmacsha256=" + hmacHex("HmacSHA256", secret, body);
    }

    /** {@code sha1=<hex>}, the {@code expo-signature} Expo sends. */
    static String expoSignature(String secret, byte[] body) {
        return "sha1=" + hmacHex("HmacSHA1", secret, body);
    }

    /** The bytes of a classpath resource, e.g. {@code /asc-api/error-429.json}. */
    static byte[] resource(String path) {
        try (InputStream in = Webhooks.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hmacHex(String algorithm, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }

    private static ObjectNode parse(String fixture) {
        try {
            return (ObjectNode) JSON.readTree(resource("/payloads/" + fixture));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(ObjectNode root) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
