package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reading webhook bodies as Jackson trees, and the lenient field access every normaliser shares.
 */
final class JsonPayload {

    // Trailing tokens are rejected so that "{...}garbage" is not silently half-read.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonPayload() {
    }

    /** Copies the body without moving the buffer's position, so the record stays re-readable. */
    static byte[] bytes(ByteBuffer body) {
        if (body == null) {
            throw new UnparseablePayloadException("body is missing");
        }
        ByteBuffer view = body.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }

    /** Parses a body that must be one JSON object. */
    static ObjectNode parseObject(byte[] bytes) {
        if (bytes.length == 0) {
            throw new UnparseablePayloadException("body is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            // Jackson's message quotes the payload; the reason must not.
            throw new UnparseablePayloadException("body is not valid JSON");
        } catch (IOException e) {
            throw new UnparseablePayloadException("body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new UnparseablePayloadException("body is empty");
        }
        if (!root.isObject()) {
            throw new UnparseablePayloadException("body is not a JSON object");
        }
        return (ObjectNode) root;
    }

    /**
     * The payload as text, for events kept verbatim. The bytes are UTF-8 as JSON requires; should a provider send
     * another encoding that Jackson still read, the parsed tree is written back instead of mangled text.
     */
    static String text(byte[] bytes, JsonNode parsed) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return parsed.toString();
        }
    }

    /** The node at {@code path} below {@code node}; a missing node (never null) when any step is absent. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String step : path) {
            if (current == null || !current.isObject()) {
                return MissingNode.getInstance();
            }
            current = current.path(step);
        }
        return current == null ? MissingNode.getInstance() : current;
    }

    /**
     * The scalar at {@code path} as text: strings as they are, numbers and booleans in their JSON spelling. Empty
     * for absent, null, blank, object and array values, so a provider's {@code null} reads like an absent field.
     */
    static Optional<String> text(JsonNode node, String... path) {
        JsonNode value = at(node, path);
        if (!value.isValueNode() || value.isNull()) {
            return Optional.empty();
        }
        String text = value.asText();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** The first present scalar among several alternative paths, each given as a dotted path. */
    static Optional<String> firstText(JsonNode node, String... dottedPaths) {
        for (String dotted : dottedPaths) {
            Optional<String> found = text(node, dotted.split("\\."));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
