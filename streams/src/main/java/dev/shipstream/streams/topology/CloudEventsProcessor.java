package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeliveryEvent;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/** The last step before the events sink: replaces the record's headers with {@link CloudEventsHeaders}. */
final class CloudEventsProcessor extends ContextualProcessor<String, DeliveryEvent, String, DeliveryEvent> {

    @Override
    public void process(Record<String, DeliveryEvent> record) {
        context().forward(record.withHeaders(CloudEventsHeaders.of(record.value())));
    }
}
