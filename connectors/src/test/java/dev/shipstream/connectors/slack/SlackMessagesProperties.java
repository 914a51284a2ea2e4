package dev.shipstream.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import dev.shipstream.connect.common.DeliveryOutcome;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The pure parts of the Slack sink over many inputs: cutting to Slack's limits, classifying any answer. */
class SlackMessagesProperties {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Property
    void cutNeverExceedsTheLimitAndKeepsAPrefix(@ForAll @StringLength(max = 5_000) String text,
                                                @ForAll @IntRange(min = 2, max = 4_000) int max) {
        String cut = SlackMessageComposer.cut(text, max);
        assertThat(cut.length()).isLessThanOrEqualTo(max);
        if (text.length() <= max) {
            assertThat(cut).isEqualTo(text);
        } else {
            assertThat(cut).endsWith("…");
            assertThat(text).startsWith(cut.substring(0, cut.length() - 1));
        }
    }

    @Property
    void anyApiAnswerIsClassifiedAndOnly2xxOkIsDelivered(@ForAll @IntRange(min = 100, max = 599) int status,
                                                         @ForAll String body, @ForAll String retryAfter) {
        DeliveryOutcome outcome = SlackResponses.classifyApi(status, Optional.of(retryAfter), body, NOW);
        assertThat(outcome).isNotNull();
        if (status == 429 || status >= 500) {
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
        } else if (status >= 400) {
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Permanent.class);
        } else if (!body.contains("true")) {
            assertThat(outcome).isNotInstanceOf(DeliveryOutcome.Delivered.class);
        }
    }

    @Property
    void aRetryNeverWaitsANegativeTime(@ForAll String retryAfter) {
        DeliveryOutcome outcome = SlackResponses.classifyApi(429, Optional.of(retryAfter), "", NOW);
        assertThat(((DeliveryOutcome.Retry) outcome).after().isNegative()).isFalse();
    }
}
