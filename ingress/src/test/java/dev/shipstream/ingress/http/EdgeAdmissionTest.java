package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EdgeAdmissionTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final EdgeAdmission admission = new EdgeAdmission(2, 1000, registry);

    @Test
    void admitsConnectionsUpToTheBoundAndCountsTheRefusedOnesUntilTheyClose() {
        assertThat(admission.connectionOpened()).isTrue();
        assertThat(admission.connectionOpened()).isTrue();
        assertThat(admission.connectionOpened()).isFalse();

        admission.connectionClosed();
        assertThat(admission.connectionOpened()).isFalse();
        admission.connectionClosed();
        admission.connectionClosed();

        assertThat(admission.connectionOpened()).isTrue();
        assertThat(registry.get("shipstream.ingress.connections").gauge().value()).isEqualTo(2);
    }

    @Test
    void reservesBytesOnlyWithinTheBoundAndReleasesThem() {
        assertThat(admission.tryReserve(600)).isTrue();
        assertThat(admission.tryReserve(500)).isFalse();
        assertThat(admission.tryReserve(400)).isTrue();
        assertThat(registry.get("shipstream.ingress.buffered.bytes").gauge().value()).isEqualTo(1000);

        admission.release(600);

        assertThat(admission.tryReserve(500)).isTrue();
        assertThat(admission.bufferedBytes()).isEqualTo(900);
    }

    @Test
    void concurrentReservationsNeverPassTheBound() throws InterruptedException {
        AtomicLong highest = new AtomicLong();
        CountDownLatch done = new CountDownLatch(4);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            threads.execute(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (admission.tryReserve(300)) {
                        highest.accumulateAndGet(admission.bufferedBytes(), Math::max);
                        admission.release(300);
                    }
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        threads.shutdown();

        assertThat(highest.get()).isBetween(300L, 1000L);
        assertThat(admission.bufferedBytes()).isZero();
    }
}
