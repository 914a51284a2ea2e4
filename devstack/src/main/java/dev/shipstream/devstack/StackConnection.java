package dev.shipstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach a running devstack and sign requests for it: its addresses and the webhook secrets of its
 * {@code default} endpoints. The devstack writes it to {@value #FILE_NAME} in its data directory once it is ready and
 * deletes it when it stops; {@code ./shipstream send} and {@code tail} read it, so the secrets never need to be
 * printed or pasted again.
 *
 * <p>The file holds secrets: it is created with owner-only permissions (0600) where the file system has POSIX
 * permissions, written to a temporary file and moved into place so a reader never sees half of it. {@link #toString()}
 * names no secret.
 *
 * @param ingressUrl   the ingress's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param bootstrap    Kafka's bootstrap servers
 * @param registryUrl  the schema registry's base URL
 * @param secrets      {@link LocalSecrets#VARIABLES} with their values
 */
record StackConnection(String ingressUrl, String bootstrap, String registryUrl, Map<String, String> secrets) {

    static final String FILE_NAME = "devstack.env";
    static final String INGRESS_URL = "SHIPSTREAM_INGRESS_URL";
    static final String BOOTSTRAP = "SHIPSTREAM_KAFKA_BOOTSTRAP";
    static final String REGISTRY_URL = "SHIPSTREAM_SCHEMA_REGISTRY_URL";

    StackConnection {
        secrets = Map.copyOf(secrets);
    }

    /** The file in {@code dataDir}. */
    static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** Writes the file into {@code dataDir}, owner-only, replacing an older one. */
    void write(Path dataDir) {
        StringBuilder text = new StringBuilder("# Written by ./shipstream dev while it runs; deleted when it stops.\n");
        text.append(INGRESS_URL).append('=').append(ingressUrl).append('\n');
        text.append(BOOTSTRAP).append('=').append(bootstrap).append('\n');
        text.append(REGISTRY_URL).append('=').append(registryUrl).append('\n');
        for (String variable : LocalSecrets.VARIABLES) {
            String value = secrets.get(variable);
            if (value != null) {
                text.append(variable).append('=').append(value).append('\n');
            }
        }
        Path target = file(dataDir);
        try {
            Path temporary = createOwnerOnly(dataDir.resolve(FILE_NAME + ".tmp"));
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target, e);
        }
    }

    /** The connection of the devstack running on {@code dataDir}, or empty if none has written one. */
    static Optional<StackConnection> read(Path dataDir) {
        Path source = file(dataDir);
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + source, e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        if (!values.containsKey(INGRESS_URL) || !values.containsKey(BOOTSTRAP) || !values.containsKey(REGISTRY_URL)) {
            throw new IllegalStateException(source + " is incomplete; restart ./shipstream dev");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        LocalSecrets.VARIABLES.stream().filter(values::containsKey).forEach(v -> secrets.put(v, values.get(v)));
        return Optional.of(new StackConnection(values.get(INGRESS_URL), values.get(BOOTSTRAP),
                values.get(REGISTRY_URL), secrets));
    }

    /** Deletes the file, so a stopped devstack is not mistaken for a running one. */
    static void delete(Path dataDir) {
        try {
            Files.deleteIfExists(file(dataDir));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file(dataDir), e);
        }
    }

    private static Path createOwnerOnly(Path path) throws IOException {
        Files.deleteIfExists(path);
        try {
            // Created with the permissions, not chmod-ed afterwards: there is no moment in which others may open it.
            return Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Another process is writing " + path, e);
        }
    }

    @Override
    public String toString() {
        return "StackConnection[ingress=" + ingressUrl + ", kafka=" + bootstrap + ", registry=" + registryUrl
                + ", secrets=" + secrets.keySet() + "]";
    }
}
