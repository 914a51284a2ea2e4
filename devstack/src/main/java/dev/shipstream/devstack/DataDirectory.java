package dev.shipstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The devstack's data directory, held under an exclusive file lock so two stacks never share one broker's files.
 * Wiping it ({@code --fresh}) is refused unless it looks like a devstack directory, so a mistyped path is not
 * deleted.
 */
final class DataDirectory implements AutoCloseable {

    static final String LOCK_FILE = "devstack.lock";
    /**
     * Everything a devstack writes in its data directory: the lock, the broker's logs, the streams app's state, the
     * running stack's connection file.
     */
    private static final java.util.Set<String> OWN_ENTRIES = java.util.Set.of(LOCK_FILE, "kafka", "streams",
            StackConnection.FILE_NAME);

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectory open(Path path, boolean fresh) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
            FileChannel channel = FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("Another devstack is running on " + absolute
                        + "; stop it or start this one with --data-dir");
            }
            DataDirectory directory = new DataDirectory(absolute, channel, lock);
            if (fresh) {
                directory.wipe();
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the data directory " + absolute, e);
        }
    }

    Path path() {
        return path;
    }

    /** Deletes everything but the lock; only ever under the lock, so a running stack's files are never deleted. */
    void wipe() {
        try {
            wipeContents(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot wipe the data directory " + path, e);
        }
    }

    private static void wipeContents(Path dir) throws IOException {
        boolean ours;
        try (Stream<Path> entries = Files.list(dir)) {
            ours = entries.allMatch(entry -> OWN_ENTRIES.contains(entry.getFileName().toString()));
        }
        if (!ours) {
            throw new IllegalStateException("Refusing to wipe " + dir + ": it holds files a devstack did not write");
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!entry.equals(dir) && !entry.getFileName().toString().equals(LOCK_FILE)) {
                    Files.delete(entry);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release the lock on " + path, e);
        }
    }
}
