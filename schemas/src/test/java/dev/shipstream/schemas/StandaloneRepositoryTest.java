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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands on its own: no file points at notes outside it (a relative or absolute path that leaves the
 * checkout, numbered sections of notes, numbered decisions of a design note). Facts live in docs/sources.md and
 * docs/architecture.md instead.
 */
class StandaloneRepositoryTest {

    private static final Path ROOT = Path.of("..");
    private static final Set<String> CHECKED = Set.of(".java", ".md", ".sh", ".yml", ".yaml", ".xml", ".json",
            ".properties", ".avsc", ".lua", ".py");
    private static final Path REPOSITORY = ROOT.toAbsolutePath().normalize();
    // A relative path written in a file: one or more "../" followed by a name.
    private static final Pattern RELATIVE_PATH = Pattern.compile("(?:\\.\\./)+[A-Za-z0-9_.-]+");
    // Numbered sections are how notes kept outside the repository were cited; facts cite public sources instead.
    private static final String SECTION_SIGN = "\u00a7";
    // Decisions are referred to by title (docs/architecture.md), never by the number of a note outside.
    private static final Pattern NUMBERED_DECISION = Pattern.compile("\\b[Dd]ecision [0-9]+\\b");

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

    /**
     * Whether a line names something outside the repository: a relative path that leaves it, an absolute path into
     * the directory that holds it, or a numbered section of a note.
     */
    private static boolean pointsOutside(Path file, String line) {
        if (line.contains(SECTION_SIGN) || line.contains(REPOSITORY.getParent().toString() + "/")
                || NUMBERED_DECISION.matcher(line).find()) {
            return true;
        }
        Matcher relative = RELATIVE_PATH.matcher(line);
        while (relative.find()) {
            Path target = file.toAbsolutePath().getParent().resolve(relative.group()).normalize();
            if (!target.startsWith(REPOSITORY)) {
                return true;
            }
        }
        return false;
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
                if (pointsOutside(file, line)) {
                    found.add(file + ":" + (i + 1) + ": " + line.strip());
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
