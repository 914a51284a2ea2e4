package dev.shipstream.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One of the ready connector configs in {@code connectors/examples/}: a Kafka Connect REST create body
 * ({@code {"name": ..., "config": {...}}}), read from the file as users copy it. A test may substitute a value only
 * where the example already has the key (the URL of a stub, the test broker's address): a key the example lacks is
 * an error, so what runs is the example and not something the test made up.
 *
 * @param file   the file name under the examples directory, e.g. {@code dry-run/4-slack-build-failed-or-rejected.json}
 * @param name   the connector's name
 * @param config its configuration, in file order
 */
record ExampleConnector(String file, String name, Map<String, String> config) {

    /**
     * The failsafe configuration of the devstack module points this at {@code connectors/examples}; without it, the
     * path from the module's directory (where Maven runs its tests) is used.
     */
    static final String DIRECTORY_PROPERTY = "shipstream.e2e.examples";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The examples directory of this checkout. */
    static Path directory() {
        return Path.of(System.getProperty(DIRECTORY_PROPERTY, "../connectors/examples"));
    }

    /** Reads {@code file} (relative to {@link #directory()}) verbatim. */
    static ExampleConnector load(String file) {
        return load(directory(), file);
    }

    static ExampleConnector load(Path directory, String file) {
        try {
            Body body = JSON.readValue(Files.readAllBytes(directory.resolve(file)), Body.class);
            if (body.name() == null || body.config() == null) {
                throw new IllegalStateException(file + " is not a Connect create body ({\"name\":...,\"config\":{...}})");
            }
            return new ExampleConnector(file, body.name(), new LinkedHashMap<>(body.config()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the example " + file, e);
        }
    }

    /** The same example with {@code key}'s value replaced; {@code key} must be in the example. */
    ExampleConnector with(String key, String value) {
        if (!config.containsKey(key)) {
            throw new IllegalArgumentException(file + " has no '" + key + "' to substitute");
        }
        Map<String, String> changed = new LinkedHashMap<>(config);
        changed.put(key, value);
        return new ExampleConnector(file, name, changed);
    }

    /** The REST create body: {@code {"name": ..., "config": {...}}}. */
    String createBody() {
        try {
            return JSON.writeValueAsString(new Body(name, config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON shape of an example file. */
    record Body(String name, Map<String, String> config) {
    }
}
