package dev.shipstream.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloudEventsHeadersTest {

    @Test
    void subjectOfAnEncodedKeyIsTheKeyItself() {
        assertThat(CloudEventsHeaders.subject("asc:webhookPingCreated:evil%0D%0AX-Evil%3A%201"))
                .isEqualTo("asc:webhookPingCreated:evil%0D%0AX-Evil%3A%201");
    }

    @Test
    void subjectOfAKeyWrittenBeforeKeysWereEncodedIsEncoded() {
        assertThat(CloudEventsHeaders.subject("asc:webhookPingCreated:evil\r\nX-Evil: 1"))
                .isEqualTo("asc:webhookPingCreated:evil%0D%0AX-Evil:%201");
    }
}
