package dev.shipstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands on its own: no file points at notes outside it (a shared folder next to the checkout,
 * numbered sections of reference notes, numbered decisions of a design note). Facts live in docs/sources.md and
 * docs/architecture.md instead.
 */
class StandaloneRepositoryTest {

    private static final Path ROOT = Path.of("..");
    private static final Set<String> CHECKED = Set.of(".java", ".md", ".sh", ".yml", ".yaml", ".xml", ".json",
            ".properties", ".avsc", ".lua", ".py");
    // Spelled in pieces so that this file does not match itself.
    private static final List<String> OUTSIDE_POINTERS = List.of(
            "../" + "shared/", "/work/" + "shared", "reference " + "§", "reference facts " + "§", "reference's " + "§",
            "design " + "decision");

    @Test
    void noFilePointsOutsideTheRepository() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(Files::isRegularFile)
                    .filter(StandaloneRepositoryTest::checked)
                    .forEach(file -> offenders.addAll(pointersIn(file)));
        }
        assertThat(ROOT.resolve("docs/sources.md")).exists();
        assertThat(offenders).isEmpty();
    }

    private static boolean checked(Path file) {
        String path = file.toString().replace('\\', '/');
        String name = file.getFileName().toString();
        return !path.contains("/target/") && !path.contains("/.git/") && !path.contains("/node_modules/")
                && CHECKED.stream().anyMatch(name::endsWith);
    }

    private static List<String> pointersIn(Path file) {
        List<String> found = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                for (String pointer : OUTSIDE_POINTERS) {
                    if (line.contains(pointer)) {
                        found.add(file + ":" + (i + 1) + ": " + line.strip());
                    }
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
