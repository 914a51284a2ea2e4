package dev.shipstream.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A minimal HTTP client of the registry for tests: sends JSON, returns the status and the parsed JSON answer. */
final class RegistryHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    RegistryHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** One answer: status, content type, raw body, and the body parsed as JSON. */
    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("answer is not JSON: " + body, e);
            }
        }

        int errorCode() {
            return json().path("error_code").asInt();
        }

        String message() {
            return json().path("message").asText();
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer post(String path, Object body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    Answer put(String path, Object body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    Answer postRaw(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** {@code POST /subjects/{subject}/versions} with the schema text. */
    Answer register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", Map.of("schema", schema));
    }

    /** The id of a registration that must succeed. */
    int registerOk(String subject, String schema) {
        Answer answer = register(subject, schema);
        if (answer.status() != 200) {
            throw new AssertionError("registration failed: " + answer);
        }
        return answer.json().get("id").asInt();
    }

    Answer setLevel(String path, String level) {
        return put(path, Map.of("compatibility", level));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", RegistryRoutes.CONTENT_TYPE)
                .header("Accept", RegistryRoutes.CONTENT_TYPE);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
