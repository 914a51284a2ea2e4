package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The verify package stays pure: only the JDK and the generated AuthScheme, no HTTP server, no Kafka, no logging
 * (a verifier that logs is one bug away from logging a signature).
 */
class VerifyPackageBoundaryTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/shipstream/ingress/verify");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void importsOnlyTheJdkAndAuthScheme() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(SOURCES)) {
            files = listing.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("AppStoreConnectVerifier.java", "EasVerifier.java", "AppflowTokenVerifier.java");

        for (Path file : files) {
            String source = Files.readString(file);
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                assertThat(imports.group(2)).as("import in %s", file.getFileName())
                        .matches("(java|javax)\\..*|dev\\.shipstream\\.schemas\\.AuthScheme"
                                + "|dev\\.shipstream\\.ingress\\.verify\\..*");
            }
            assertThat(source).as("fully qualified references in %s", file.getFileName())
                    .doesNotContain("io.vertx", "org.apache.kafka", "org.slf4j", "System.out", "System.err");
        }
    }
}
