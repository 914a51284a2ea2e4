package dev.shipstream.ingress.http;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the access log's batches go (one batch: whole lines of UTF-8, each ending with {@code \n}), shared by every
 * event loop of one ingress:
 * <ul>
 *   <li>{@link #logger()}: the logger {@value AccessLog#LOGGER}, so a deployment's logging configuration decides
 *       where they go;</li>
 *   <li>{@link #writer(OutputStream)} / {@link #stdout()}: a thread of its own writes them, one {@code write} per
 *       batch, as they are. The event loop only queues the batch: at most {@value #MAX_PENDING} wait,
 *       and a batch that finds the queue full is dropped rather than waited for (counted, see {@link #dropped()}), so
 *       a slow or stalled stdout never holds a request; a batch that cannot be written is dropped and counted too,
 *       with one warning per spell of failures. The standalone ingress uses it with its shipped logging
 *       configuration: through log4j's asynchronous appender (an event built, formatted and copied per batch on the
 *       event loop; the layout and the character encoding on the appender's thread) the access log cost about
 *       0.3 µs per request more (see docs/benchmarks.md).</li>
 * </ul>
 *
 * <p>A batch is an array of bytes that changes hands: the event loop fills it, {@link #write} takes it, and once it is
 * written (or dropped) it waits in a pool of spare arrays for {@link #buffer} to give it to an event loop again. So
 * the lines are never copied, encoded or allocated again on their way out; as strings, a batch cost a copy and an
 * encoding of its 128 KiB, and some 340 bytes of garbage per line.
 */
public abstract class AccessLines implements AutoCloseable {

    /** Batches that may wait for the writer: with batches of up to 128 KiB, about 2 MiB. */
    public static final int MAX_PENDING = 16;

    /** The name of the thread of {@link #writer(OutputStream)} and {@link #stdout()}. */
    public static final String WRITER_THREAD = "shipstream-access-log";

    /**
     * Arrays larger than this are left to the collector rather than kept: a batch's array is a little over
     * {@value AccessLog#MAX_BATCH_BYTES} bytes, and twice that once an unusually long line grew it.
     */
    private static final int MAX_SPARE_BYTES = 2 * AccessLog.MAX_BATCH_BYTES;

    /** Arrays of written batches, for the next ones: as many as may wait, since that many were in use. */
    private final ArrayBlockingQueue<byte[]> spare = new ArrayBlockingQueue<>(MAX_PENDING);

    private AccessLines() {
    }

    /** Whether batches are wanted at all (the logger's level may say no). */
    abstract boolean enabled();

    /**
     * Hands over one batch: the first {@code length} bytes of {@code batch}, whole lines ending with {@code \n}. The
     * array is this object's from now on. Never blocks.
     */
    abstract void write(byte[] batch, int length);

    /** An array of at least {@code capacity} bytes for a batch: a spare one if there is one. */
    byte[] buffer(int capacity) {
        byte[] array = spare.poll();
        return array != null && array.length >= capacity ? array : new byte[capacity];
    }

    /** Keeps the array of a batch that was written or dropped, for {@link #buffer}. */
    void recycle(byte[] batch) {
        if (batch.length <= MAX_SPARE_BYTES) {
            spare.offer(batch);
        }
    }

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
            void write(byte[] batch, int length) {
                // The layout ends each event with a line separator of its own.
                int end = length > 0 && batch[length - 1] == '\n' ? length - 1 : length;
                log.info(new String(batch, 0, end, StandardCharsets.UTF_8));
                recycle(batch);
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
     * {@link PrintStream} never throws), and a batch that was not written must be counted as dropped. Through a
     * channel, which copies a batch into native memory it keeps for its thread, where a {@link FileOutputStream}
     * allocates and frees such memory for every write of over 8 KiB. Nothing interrupts the writer's thread: an
     * interrupt during a write would close the channel, and with it the descriptor.
     */
    public static AccessLines stdout() {
        PrintStream lock = System.out;
        FileChannel descriptor = new FileOutputStream(FileDescriptor.out).getChannel();
        return new Writer((batch, length) -> {
            ByteBuffer bytes = ByteBuffer.wrap(batch, 0, length);
            synchronized (lock) {
                lock.flush();
                while (bytes.hasRemaining()) {
                    descriptor.write(bytes);
                }
            }
        });
    }

    /** Batches are written to {@code out} by a thread of their own (which {@link #close} closes, not {@code out}). */
    public static AccessLines writer(OutputStream out) {
        return new Writer((batch, length) -> {
            out.write(batch, 0, length);
            out.flush();
        });
    }

    /** Where a writer's batches go. */
    private interface Sink {
        void write(byte[] batch, int length) throws IOException;
    }

    /** A batch on its way to the writer. */
    private record Batch(byte[] bytes, int length) {
    }

    private static final class Writer extends AccessLines {

        private static final Logger LOG = LoggerFactory.getLogger(AccessLines.class);

        private final Sink out;
        private final ArrayBlockingQueue<Batch> pending = new ArrayBlockingQueue<>(MAX_PENDING);
        private final AtomicLong dropped = new AtomicLong();
        private final Thread thread;
        private volatile boolean closed;

        Writer(Sink out) {
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
        void write(byte[] batch, int length) {
            if (closed || !pending.offer(new Batch(batch, length))) {
                dropped.incrementAndGet();
                recycle(batch);
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
                Batch batch;
                try {
                    batch = pending.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (batch == null) {
                    continue;
                }
                try {
                    out.write(batch.bytes(), batch.length());
                    failing = false;
                } catch (IOException e) {
                    dropped.incrementAndGet();
                    if (!failing) {
                        // Once per spell of failures: a stdout that is gone must not flood the other log.
                        LOG.warn("access lines could not be written; dropping them until writing works again: {}",
                                e.toString());
                        failing = true;
                    }
                } finally {
                    recycle(batch.bytes());
                }
            }
        }
    }
}
