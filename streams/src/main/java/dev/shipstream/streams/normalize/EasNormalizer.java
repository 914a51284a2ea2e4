package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;

import java.time.Instant;
import java.util.Optional;

/**
 * Normalises Expo EAS build and submit webhooks (sent once a build or submission completed).
 *
 * <p>Build and submit payloads carry no event type; {@link EntityKeys} tells them apart by
 * their fields. Reads: {@code id} and {@code status} (event id {@code <id>:<status>}; status becomes the new state);
 * {@code platform}; {@code appId}, {@code metadata.appName} (else {@code projectName}) and
 * {@code metadata.appIdentifier} as the app; {@code metadata.appVersion} and {@code metadata.appBuildVersion} as
 * version and build number; {@code error} (builds) or {@code submissionInfo.error} (submissions) as an error of
 * origin PAYLOAD; {@code metadata.gitCommitHash}/{@code gitCommitMessage} as git; the details page,
 * {@code submissionInfo.logsUrl}, {@code artifacts.buildUrl} (builds) or {@code archiveUrl} (submissions) as links;
 * build profile and other details as extras. The event time is {@code completedAt}, else {@code updatedAt}, else
 * {@code metrics.buildEndTimestamp} (epoch milliseconds), else the receive time marked as estimated.
 */
public final class EasNormalizer implements Normalizer {

    /** Creates the normaliser; it holds no state. */
    public EasNormalizer() {
    }

    @Override
    public Normalization normalize(RawWebhook raw) {
        return GuardedConversion.run("EAS", raw, EasNormalizer::toEvent);
    }

    private static DeliveryEvent toEvent(RawWebhook raw) {
        byte[] bytes = JsonPayload.bytes(raw.getBody());
        ObjectNode root = JsonPayload.parseObject(bytes);
        String id = JsonPayload.text(root, "id").orElseThrow(() -> new UnparseablePayloadException("missing id"));
        String status = JsonPayload.text(root, "status")
                .orElseThrow(() -> new UnparseablePayloadException("missing status"));
        Entity entity = EntityKeys.entityOf(Source.EAS, bytes).orElseThrow(() -> new UnparseablePayloadException(
                "neither build nor submit fields (e.g. artifacts, submissionInfo)"));
        boolean submit = EntityKeys.EAS_SUBMIT.equals(entity.getType());
        JsonNode metadata = root.path("metadata");
        JsonNode metrics = root.path("metrics");

        EventDraft draft = new EventDraft(raw, Source.EAS, id + ':' + status, entity.getType(),
                submit ? EventCategory.EAS_SUBMISSION : EventCategory.EAS_BUILD, entity)
                .states(Optional.empty(), Optional.of(status))
                .occurredAt(occurredAt(root, metrics))
                .platform(EventDraft.platformNamed(JsonPayload.text(root, "platform")))
                .app(JsonPayload.text(root, "appId"),
                        JsonPayload.text(metadata, "appName").or(() -> JsonPayload.text(root, "projectName")),
                        JsonPayload.text(metadata, "appIdentifier"))
                .version(JsonPayload.text(metadata, "appVersion"), JsonPayload.text(metadata, "appBuildVersion"))
                .git(JsonPayload.text(metadata, "gitCommitHash"), JsonPayload.text(metadata, "gitCommitMessage"),
                        Optional.empty())
                .extra(ExtraKeys.ACCOUNT_NAME, JsonPayload.text(root, "accountName"))
                .extra(ExtraKeys.PROJECT_NAME, JsonPayload.text(root, "projectName"))
                .extra(ExtraKeys.INITIATING_USER_ID, JsonPayload.text(root, "initiatingUserId"))
                .extra(ExtraKeys.CANCELING_USER_ID, JsonPayload.text(root, "cancelingUserId"))
                .extraTime(ExtraKeys.CREATED_AT, EventDraft.firstTime(root.path("createdAt")))
                .extraTime(ExtraKeys.FINISHED_AT,
                        EventDraft.firstTime(root.path("completedAt"), metrics.path("buildEndTimestamp")));
        JsonNode error;
        if (submit) {
            JsonNode info = root.path("submissionInfo");
            error = info.path("error");
            draft.detailsLink(JsonPayload.text(root, "submissionDetailsPageUrl"))
                    .logsLink(JsonPayload.text(info, "logsUrl"))
                    .artifactLink(JsonPayload.text(root, "archiveUrl"))
                    .extra(ExtraKeys.PARENT_ID, JsonPayload.text(root, "parentSubmissionId"))
                    .extra(ExtraKeys.TURTLE_BUILD_ID, JsonPayload.text(root, "turtleBuildId"));
        } else {
            error = root.path("error");
            draft.detailsLink(JsonPayload.text(root, "buildDetailsPageUrl"))
                    .artifactLink(JsonPayload.text(root, "artifacts", "buildUrl"))
                    .extra(ExtraKeys.PARENT_ID, JsonPayload.text(root, "parentBuildId"))
                    .extra(ExtraKeys.LOGS_S3_KEY_PREFIX, JsonPayload.text(root, "artifacts", "logsS3KeyPrefix"))
                    .extra(ExtraKeys.BUILD_PROFILE, JsonPayload.text(metadata, "buildProfile"))
                    .extra(ExtraKeys.DISTRIBUTION, JsonPayload.text(metadata, "distribution"))
                    .extra(ExtraKeys.WORKFLOW, JsonPayload.text(metadata, "workflow"))
                    .extra(ExtraKeys.CHANNEL, JsonPayload.text(metadata, "channel"))
                    .extra(ExtraKeys.RELEASE_CHANNEL, JsonPayload.text(metadata, "releaseChannel"))
                    .extra(ExtraKeys.RUNTIME_VERSION, JsonPayload.text(metadata, "runtimeVersion"))
                    .extra(ExtraKeys.SDK_VERSION, JsonPayload.text(metadata, "sdkVersion"))
                    .extra(ExtraKeys.CLI_VERSION, JsonPayload.text(metadata, "cliVersion"))
                    .extra(ExtraKeys.REACT_NATIVE_VERSION, JsonPayload.text(metadata, "reactNativeVersion"))
                    .extra(ExtraKeys.BUILD_MESSAGE, JsonPayload.text(metadata, "message"))
                    .extra(ExtraKeys.RUN_FROM_CI, JsonPayload.text(metadata, "runFromCI"))
                    .extra(ExtraKeys.GIT_WORKING_TREE_DIRTY, JsonPayload.text(metadata, "isGitWorkingTreeDirty"))
                    .extra(ExtraKeys.PRIORITY, JsonPayload.text(root, "priority"))
                    .extra(ExtraKeys.RESOURCE_CLASS, JsonPayload.text(root, "actualResourceClass")
                            .or(() -> JsonPayload.text(root, "resourceClass")))
                    .extraTime(ExtraKeys.ENQUEUED_AT,
                            EventDraft.firstTime(root.path("enqueuedAt"), metrics.path("buildEnqueuedTimestamp")))
                    .extraTime(ExtraKeys.STARTED_AT,
                            EventDraft.firstTime(root.path("workerStartedAt"), metrics.path("buildStartTimestamp")));
        }
        errorOf(error).ifPresent(draft::error);
        return draft.build();
    }

    private static Optional<Instant> occurredAt(JsonNode root, JsonNode metrics) {
        return EventDraft.firstTime(root.path("completedAt"), root.path("updatedAt"), metrics.path("buildEndTimestamp"));
    }

    private static Optional<EventError> errorOf(JsonNode error) {
        Optional<String> code = JsonPayload.text(error, "errorCode");
        Optional<String> message = JsonPayload.text(error, "message");
        if (code.isEmpty() && message.isEmpty()) {
            return Optional.empty();
        }
        // The schema requires a message; a bare code is still worth reporting, so it stands in.
        return Optional.of(new EventError(code.orElse(null), message.orElse(code.get()), ErrorOrigin.PAYLOAD));
    }
}
