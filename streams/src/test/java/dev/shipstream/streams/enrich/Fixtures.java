package dev.shipstream.streams.enrich;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The API responses under {@code src/test/resources/asc-api}. */
final class Fixtures {

    private Fixtures() {
    }

    static String apiResponse(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/asc-api/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture asc-api/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
