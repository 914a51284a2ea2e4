package dev.shipstream.ingress.http;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the access log's batches go (one batch: whole lines, each ending with {@code \n}), shared by every event loop
 * of one ingress:
 * <ul>
 *   <li>{@link #logger()}: the logger {@value AccessLog#LOGGER}, so a deployment's logging configuration decides
 *       where they go;</li>
 *   <li>{@link #writer(OutputStream)} / {@link #stdout()}: a thread of its own writes them, as UTF-8, one {@code write}
 *       per batch. The event loop only queues the batch: at most {@value #MAX_PENDING} wait,
 *       and a batch that finds the queue full is dropped rather than waited for (counted, see {@link #dropped()}), so
 *       a slow or stalled stdout never holds a request; a batch that cannot be written is dropped and counted too,
 *       with one warning per spell of failures. The standalone ingress uses it with its shipped logging
 *       configuration: through log4j's asynchronous appender (an event built, formatted and copied per batch on the
 *       event loop; the layout and the character encoding on the appender's thread) the access log cost about
 *       0.3 µs per request more (see docs/benchmarks.md).</li>
 * </ul>
 */
public abstract class AccessLines implements AutoCloseable {

    /** Batches that may wait for the writer: with batches of up to 128 KiB, about 2 MiB. */
    public static final int MAX_PENDING = 16;

    /** The name of the thread of {@link #writer(OutputStream)} and {@link #stdout()}. */
    public static final String WRITER_THREAD = "shipstream-access-log";

    private AccessLines() {
    }

    /** Whether batches are wanted at all (the logger's level may say no). */
    abstract boolean enabled();

    /** Hands over one batch; never blocks. */
    abstract void write(String batch);

    /**
     * Batches dropped: because {@value #MAX_PENDING} were waiting, because writing failed, or because they came after
     * {@link #close}; always 0 for the logger.
     */
    public abstract long dropped();

    /** Writes what is waiting (for at most {@code timeout}) and stops; later batches are dropped. */
    public abstract void close(Duration timeout);

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Batches go to the logger {@value AccessLog#LOGGER}. */
    public static AccessLines logger() {
        Logger log = LoggerFactory.getLogger(AccessLog.LOGGER);
        return new AccessLines() {
            @Override
            boolean enabled() {
                return log.isInfoEnabled();
            }

            @Override
            void write(String batch) {
                // The layout ends each event with a line separator of its own.
                log.info(batch.endsWith("\n") ? batch.substring(0, batch.length() - 1) : batch);
            }

            @Override
            public long dropped() {
                return 0;
            }

            @Override
            public void close(Duration timeout) {
            }
        };
    }

    /**
     * Batches are written to the process's standard output by a thread of their own. Each is written under
     * {@link System#out}'s lock, which the other loggers' writes take too, so that a batch and their lines never
     * interleave; but to the file descriptor itself, because {@code System.out} would swallow a failed write (a
     * {@link PrintStream} never throws), and a batch that was not written must be counted as dropped.
     */
    public static AccessLines stdout() {
        PrintStream lock = System.out;
        FileOutputStream descriptor = new FileOutputStream(FileDescriptor.out);
        return writer(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                synchronized (lock) {
                    lock.flush();
                    descriptor.write(bytes, offset, length);
                }
            }
        });
    }

    /** Batches are written to {@code out} by a thread of their own (which {@link #close} closes, not {@code out}). */
    public static AccessLines writer(OutputStream out) {
        return new Writer(out);
    }

    private static final class Writer extends AccessLines {

        private static final Logger LOG = LoggerFactory.getLogger(AccessLines.class);

        private final OutputStream out;
        private final ArrayBlockingQueue<String> pending = new ArrayBlockingQueue<>(MAX_PENDING);
        private final AtomicLong dropped = new AtomicLong();
        private final Thread thread;
        private volatile boolean closed;

        Writer(OutputStream out) {
            this.out = out;
            this.thread = new Thread(this::run, WRITER_THREAD);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        boolean enabled() {
            return true;
        }

        @Override
        void write(String batch) {
            if (closed || !pending.offer(batch)) {
                dropped.incrementAndGet();
            }
        }

        @Override
        public long dropped() {
            return dropped.get();
        }

        @Override
        public void close(Duration timeout) {
            closed = true;
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            boolean failing = false;
            while (!closed || !pending.isEmpty()) {
                String batch;
                try {
                    batch = pending.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (batch == null) {
                    continue;
                }
                try {
                    // The batch already ends with its newline: concatenating one cost a copy of the whole batch.
                    byte[] bytes = batch.getBytes(StandardCharsets.UTF_8);
                    out.write(bytes, 0, bytes.length);
                    out.flush();
                    failing = false;
                } catch (IOException e) {
                    dropped.incrementAndGet();
                    if (!failing) {
                        // Once per spell of failures: a stdout that is gone must not flood the other log.
                        LOG.warn("access lines could not be written; dropping them until writing works again: {}",
                                e.toString());
                        failing = true;
                    }
                }
            }
        }
    }
}
