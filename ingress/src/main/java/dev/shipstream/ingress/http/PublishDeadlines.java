package dev.shipstream.ingress.http;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The publish timeout of one verticle's requests, without a timer per request: every publish gets the same timeout,
 * so deadlines expire in the order the publishes started and a FIFO queue is already sorted by deadline. One Vert.x
 * timer is armed at a time, for the oldest deadline still undecided; it is never cancelled, because a publish decided
 * earlier only means the timer finds nothing to expire and re-arms for the next one. A request thus costs a queue
 * append and removal instead of a timer set and cancel (a concurrent map and a scheduled-task heap in Vert.x).
 *
 * <p>Guarantee: a publish not decided by {@link Deadline#decide()} within the timeout is expired (its expiry action
 * runs, once) no earlier than the timeout and as soon as the event loop's timer fires after it, as with a timer of
 * its own. The queue holds at most the publishes started within the last timeout; a decided publish keeps only its
 * deadline there (its expiry action is dropped), so a slow partition cannot make it hold requests.
 *
 * <p>One instance per verticle, used only from that verticle's event loop (requests, acknowledgements and the timer
 * all run there), so it needs no locking.
 */
public final class PublishDeadlines {

    private final Vertx vertx;
    private final long timeoutNanos;
    private final ArrayDeque<Deadline> queue = new ArrayDeque<>();
    private boolean timerArmed;

    /** @param vertx runs the timer, on the context that first {@link #start starts} a deadline */
    public PublishDeadlines(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Starts the deadline of a publish that began at {@code startNanos} ({@link System#nanoTime()}, read by the caller
     * just before); {@code onExpiry} runs if it is not decided in time.
     */
    public Deadline start(long startNanos, Runnable onExpiry) {
        Deadline deadline = new Deadline(startNanos + timeoutNanos, onExpiry);
        queue.addLast(deadline);
        if (!timerArmed) {
            arm(timeoutNanos);
        }
        return deadline;
    }

    /** Deadlines in the queue (decided ones included until they reach its head); for tests. */
    int queued() {
        return queue.size();
    }

    private void arm(long inNanos) {
        timerArmed = true;
        // Rounded up: the timer must never fire before the deadline it is armed for.
        long millis = Math.max(1, (inNanos + 999_999) / 1_000_000);
        vertx.setTimer(millis, id -> expire());
    }

    private void expire() {
        timerArmed = false;
        long now = System.nanoTime();
        Deadline head;
        while ((head = queue.peekFirst()) != null) {
            if (!head.decided && head.atNanos - now > 0) {
                if (!timerArmed) {
                    arm(head.atNanos - now);
                }
                return;
            }
            queue.pollFirst();
            if (!head.decided) {
                Runnable action = head.onExpiry;
                head.decide();
                action.run();
            }
        }
    }

    private void dropDecidedHead() {
        Deadline head;
        while ((head = queue.peekFirst()) != null && head.decided) {
            queue.pollFirst();
        }
    }

    /** One publish's deadline. Whichever of acknowledgement and expiry decides first wins. */
    public final class Deadline {
        private final long atNanos;
        private Runnable onExpiry;
        private boolean decided;

        private Deadline(long atNanos, Runnable onExpiry) {
            this.atNanos = atNanos;
            this.onExpiry = onExpiry;
        }

        /** True the first time (the caller then owns the answer), false once expired or decided before. */
        public boolean decide() {
            if (decided) {
                return false;
            }
            decided = true;
            onExpiry = null;
            dropDecidedHead();
            return true;
        }
    }
}
