package dev.shipstream.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The seed payloads under {@code src/test/resources/seeds/}: the providers' documented examples (sources in
 * docs/sources.md), Expo's without their {@code //} annotations, which are not JSON.
 */
public final class Seeds {

    private Seeds() {
    }

    /** The bytes of {@code seeds/<name>}. */
    public static byte[] bytes(String name) {
        try (InputStream in = Seeds.class.getResourceAsStream("/seeds/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no seed " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
