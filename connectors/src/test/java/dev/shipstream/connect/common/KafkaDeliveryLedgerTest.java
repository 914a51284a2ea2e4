package dev.shipstream.connect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

/** The ledger does not wait per key, but never lets a failed write pass a flush. */
class KafkaDeliveryLedgerTest {

    private final MockProducer<String, String> producer =
            new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    private final KafkaDeliveryLedger ledger =
            new KafkaDeliveryLedger("ledger", producer, new InMemoryDeliveryLedger(100));

    @Test
    void aRecordedKeyIsSeenAtOnceAndWrittenToTheTopicWithoutWaiting() {
        ledger.record("sent:c:r:e1", "ts-1");

        assertThat(ledger.lookup("sent:c:r:e1")).contains("ts-1");
        assertThat(producer.history()).singleElement()
                .satisfies(record -> assertThat(record.key()).isEqualTo("sent:c:r:e1"));
        assertThat(producer.completeNext()).as("the write is still in flight: record did not wait for it").isTrue();
    }

    @Test
    void aWriteThatFailedFailsTheFlushSoNoOffsetIsCommittedPastIt() {
        ledger.record("sent:c:r:e1", "ts-1");
        producer.errorNext(new TimeoutException("broker gone"));

        assertThatThrownBy(ledger::flush).isInstanceOf(ConnectException.class)
                .hasMessageContaining("delivery ledger topic ledger");
        assertThatThrownBy(() -> ledger.record("sent:c:r:e2", "ts-2"))
                .as("and no more deliveries are recorded on top of it").isInstanceOf(ConnectException.class);
    }

    @Test
    void aFlushWaitsForEveryWrite() {
        ledger.record("sent:c:r:e1", "ts-1");
        ledger.record("sent:c:r:e2", "ts-2");

        ledger.flush();

        assertThat(producer.completeNext()).as("nothing left in flight after a flush").isFalse();
    }
}
