package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.streams.normalize.ExtraKeys;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Measures the durations a single EAS or Appflow completion event carries in its own timestamps (the normalisers'
 * {@code enqueuedAt}, {@code startedAt}, {@code createdAt}, {@code finishedAt} extras). Pure.
 *
 * <ul>
 *   <li>EAS build: {@link MetricName#EAS_BUILD_QUEUE} = {@code startedAt} - {@code enqueuedAt} and
 *       {@link MetricName#EAS_BUILD_TIME} = {@code finishedAt} - {@code startedAt}.</li>
 *   <li>EAS submission: {@link MetricName#EAS_SUBMISSION_TIME} = {@code finishedAt} - {@code createdAt}.</li>
 *   <li>Appflow build: {@link MetricName#APPFLOW_BUILD_TIME} = {@code finishedAt} - {@code startedAt}.</li>
 * </ul>
 *
 * <p>A duration is null when either time is absent or unreadable, or the two are in the wrong order; the outcome
 * ({@code newState}: EAS {@code finished}/{@code errored}/{@code canceled}, Appflow {@code success}, ...) is still
 * counted. The measurement belongs to the event's {@code occurredAt}, the completion.
 */
public final class PayloadDurations {

    private PayloadDurations() {
    }

    /** The measurements of one event; empty for categories without payload durations. */
    public static List<Measurement> of(DeliveryEvent event) {
        EventCategory category = event.getCategory();
        if (category != EventCategory.EAS_BUILD && category != EventCategory.EAS_SUBMISSION
                && category != EventCategory.APPFLOW_BUILD) {
            return List.of();
        }
        Map<String, String> extras = event.getExtras();
        String appId = event.getApp() == null ? null : event.getApp().getId();
        String platform = event.getPlatform() == null ? null : event.getPlatform().name();
        long endedAt = event.getOccurredAt().toEpochMilli();
        String outcome = event.getNewState() == null ? "unknown" : event.getNewState();
        Long finished = time(extras, ExtraKeys.FINISHED_AT);
        return switch (category) {
            case EAS_BUILD -> {
                Long started = time(extras, ExtraKeys.STARTED_AT);
                yield List.of(
                        new Measurement(MetricName.EAS_BUILD_QUEUE, appId, platform, endedAt,
                                Measurement.span(time(extras, ExtraKeys.ENQUEUED_AT), started), outcome),
                        new Measurement(MetricName.EAS_BUILD_TIME, appId, platform, endedAt,
                                Measurement.span(started, finished), outcome));
            }
            case EAS_SUBMISSION -> List.of(new Measurement(MetricName.EAS_SUBMISSION_TIME, appId, platform, endedAt,
                    Measurement.span(time(extras, ExtraKeys.CREATED_AT), finished), outcome));
            default -> List.of(new Measurement(MetricName.APPFLOW_BUILD_TIME, appId, platform, endedAt,
                    Measurement.span(time(extras, ExtraKeys.STARTED_AT), finished), outcome));
        };
    }

    /** An extra written by the normalisers as {@link Instant#toString()}, in epoch milliseconds; null if absent. */
    private static Long time(Map<String, String> extras, String key) {
        String text = extras.get(key);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
