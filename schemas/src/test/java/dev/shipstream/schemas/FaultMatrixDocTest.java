package dev.shipstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/reliability.md names, for every fault, the test that proves what the system does; a renamed or deleted test
 * must not leave the matrix pointing at nothing. Every {@code Class.method} (or {@code Class#method}) in the matrix's
 * last column must be a test class of the repository that declares that method.
 */
class FaultMatrixDocTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern TEST_REFERENCE =
            Pattern.compile("(?:.*/)?([A-Z][A-Za-z0-9]*(?:Test|IT|Properties))(?:[.#]([a-z][A-Za-z0-9]*))?");

    @Test
    void everyTestTheFaultMatrixNamesExists() throws IOException {
        Map<String, List<String>> testSources = testSources();
        List<String> references = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String row : Files.readAllLines(ROOT.resolve("docs/reliability.md"), StandardCharsets.UTF_8)) {
            if (!row.startsWith("| ") || row.startsWith("| fault")) {
                continue;
            }
            String proof = row.substring(row.lastIndexOf('|', row.length() - 2) + 1);
            Matcher code = CODE.matcher(proof);
            while (code.find()) {
                Matcher reference = TEST_REFERENCE.matcher(code.group(1));
                if (!reference.matches()) {
                    continue;
                }
                references.add(code.group(1));
                List<String> sources = testSources.getOrDefault(reference.group(1), List.of());
                String method = reference.group(2);
                boolean found = method == null ? !sources.isEmpty()
                        : sources.stream().anyMatch(source -> source.contains(" " + method + "("));
                if (!found) {
                    missing.add(code.group(1));
                }
            }
        }
        assertThat(references).as("tests named by the matrix").hasSizeGreaterThan(50);
        assertThat(missing).as("tests the matrix names that do not exist").isEmpty();
    }

    private static Map<String, List<String>> testSources() throws IOException {
        Map<String, List<String>> byClass = new HashMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(file -> file.toString().replace('\\', '/').contains("/src/test/java/"))
                    .filter(file -> file.getFileName().toString().endsWith(".java"))
                    .forEach(file -> byClass.computeIfAbsent(
                            file.getFileName().toString().replace(".java", ""), name -> new ArrayList<>())
                            .add(read(file)));
        }
        return byClass;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
