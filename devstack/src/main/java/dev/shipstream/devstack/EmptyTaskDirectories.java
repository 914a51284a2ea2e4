package dev.shipstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes the task directories of the streams app's state directory that hold no file at all, before the app starts.
 *
 * <p>Why: the dedup store is a segmented window store, and a task that never received a record has a store directory
 * but no segment. Kafka Streams 4.3 keeps a store's committed offsets inside the store (its segments), so such a task
 * has no offset to find at the next start, while its task directory is not empty (it holds the empty store
 * directory). Under exactly-once that combination is read as "state that may hold uncommitted data": the task is
 * reported as {@code TaskCorruptedException}, with a warning and a stack trace, and wiped, after every clean stop,
 * for every partition that has not yet seen a record. A directory tree without a single file holds no state, so
 * removing it loses nothing and the task starts as new, which is what the wipe would have done, without the noise.
 * A task directory with any file in it is left alone: whether it is corrupted is Kafka Streams' decision.
 */
final class EmptyTaskDirectories {

    private EmptyTaskDirectories() {
    }

    /**
     * @param appStateDir the application's directory inside the state directory ({@code <state.dir>/<application.id>})
     * @return the task directories removed, e.g. {@code [0_1, 0_3]}
     */
    static List<String> prune(Path appStateDir) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(appStateDir)) {
            return removed;
        }
        try (Stream<Path> entries = Files.list(appStateDir)) {
            for (Path task : entries.filter(EmptyTaskDirectories::isTaskDirectory).sorted().toList()) {
                if (holdsNoFile(task)) {
                    deleteTree(task);
                    removed.add(task.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot tidy the streams state directory " + appStateDir, e);
        }
        return removed;
    }

    /** Task directories are named {@code <subtopology>_<partition>}, e.g. {@code 0_5}. */
    private static boolean isTaskDirectory(Path path) {
        return Files.isDirectory(path) && path.getFileName().toString().matches("\\d+_\\d+");
    }

    private static boolean holdsNoFile(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.allMatch(Files::isDirectory);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
