package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Normalises Ionic Appflow automation webhooks (package and deploy builds; sent when a build completes, whether it
 * succeeded or not).
 *
 * <p>Reads: {@code id} and {@code state} (event id {@code <id>:<state>}; state becomes the new state, falling back
 * to {@code buildInfo.state}); {@code buildInfo.job_type} ({@code package-*} gives event type {@code package},
 * {@code snapshot} gives {@code deploy}); {@code platform} (else {@code automation.platform}, else the job type's
 * suffix; a Deploy snapshot is a web bundle and so {@code WEB}); {@code appId} and {@code app.name}; {@code commit.sha},
 * {@code commit.note} and {@code commit.ref} as git; {@code started}/{@code finished}/{@code created} as extras,
 * whose microseconds, explicit offsets and the malformed {@code ...Z+00:00} of Ionic's docs {@link Timestamps}
 * reads. The event time is {@code finished}, else the receive time marked as estimated.
 *
 * <p>{@code downloadUrl} and {@code artifacts[].url} are signed and expire after 24 hours: they are deliberately not
 * copied into links or extras, where they would outlive their validity and spread a bearer credential.
 */
public final class AppflowNormalizer implements Normalizer {

    /** Event type of a native package build. */
    public static final String PACKAGE_EVENT_TYPE = "package";
    /** Event type of a web Deploy (snapshot) build. */
    public static final String DEPLOY_EVENT_TYPE = "deploy";
    /** Event type when the payload shows neither kind. */
    public static final String BUILD_EVENT_TYPE = "build";

    /** Creates the normaliser; it holds no state. */
    public AppflowNormalizer() {
    }

    @Override
    public Normalization normalize(RawWebhook raw) {
        return GuardedConversion.run("Appflow", raw, AppflowNormalizer::toEvent);
    }

    private static DeliveryEvent toEvent(RawWebhook raw) {
        byte[] bytes = JsonPayload.bytes(raw.getBody());
        ObjectNode root = JsonPayload.parseObject(bytes);
        Entity entity = EntityKeys.entityOf(Source.APPFLOW, bytes)
                .orElseThrow(() -> new UnparseablePayloadException("missing id"));
        String state = JsonPayload.text(root, "state")
                .or(() -> JsonPayload.text(root, "buildInfo", "state"))
                .orElseThrow(() -> new UnparseablePayloadException("missing state"));
        Optional<String> jobType = JsonPayload.text(root, "buildInfo", "job_type");
        String eventType = eventType(root, jobType);
        JsonNode automation = root.path("automation");
        JsonNode commit = root.path("commit");

        return new EventDraft(raw, Source.APPFLOW, entity.getId() + ':' + state, eventType,
                EventCategory.APPFLOW_BUILD, entity)
                .states(Optional.empty(), Optional.of(state))
                .occurredAt(EventDraft.firstTime(root.path("finished")))
                .platform(platform(root, automation, jobType, eventType))
                .app(JsonPayload.text(root, "appId").or(() -> JsonPayload.text(root, "app", "id")),
                        JsonPayload.text(root, "app", "name"), Optional.empty())
                .git(JsonPayload.text(commit, "sha"), JsonPayload.text(commit, "note"),
                        JsonPayload.text(commit, "ref"))
                .extra(ExtraKeys.JOB_TYPE, jobType)
                .extra(ExtraKeys.JOB_ID, JsonPayload.text(root, "buildInfo", "id"))
                // "buidType" is Ionic's own misspelling in its documented payload.
                .extra(ExtraKeys.BUILD_TYPE, JsonPayload.firstText(root, "type", "automation.buildType",
                        "automation.buidType"))
                .extra(ExtraKeys.PROFILE, JsonPayload.firstText(root, "profile", "automation.profile"))
                .extra(ExtraKeys.ENVIRONMENT_NAME,
                        JsonPayload.firstText(root, "environmentName", "automation.environmentName"))
                .extra(ExtraKeys.NATIVE_CONFIG_NAME, JsonPayload.text(automation, "nativeConfigName"))
                .extra(ExtraKeys.AUTOMATION_ID, JsonPayload.firstText(root, "automationId", "automation.id"))
                .extra(ExtraKeys.AUTOMATION_NAME, JsonPayload.text(automation, "name"))
                .extra(ExtraKeys.CHANNEL_NAME, JsonPayload.text(automation, "channel", "name"))
                .extra(ExtraKeys.CHANNEL_ID, JsonPayload.text(automation, "channel", "id"))
                .extra(ExtraKeys.APP_SLUG, JsonPayload.text(root, "app", "slug"))
                .extra(ExtraKeys.REF_TYPE, JsonPayload.text(commit, "refType"))
                .extra(ExtraKeys.BEFORE_SHA, JsonPayload.text(commit, "beforeSha"))
                .extra(ExtraKeys.ARTIFACT_TYPES, artifactTypes(root.path("artifacts")))
                .extraTime(ExtraKeys.CREATED_AT, EventDraft.firstTime(root.path("created")))
                .extraTime(ExtraKeys.STARTED_AT, EventDraft.firstTime(root.path("started")))
                .extraTime(ExtraKeys.FINISHED_AT, EventDraft.firstTime(root.path("finished")))
                .build();
    }

    private static String eventType(JsonNode root, Optional<String> jobType) {
        String job = jobType.orElse("").toLowerCase(Locale.ROOT);
        if (job.startsWith("package")) {
            return PACKAGE_EVENT_TYPE;
        }
        if (job.equals("snapshot") || job.startsWith("deploy")) {
            return DEPLOY_EVENT_TYPE;
        }
        if (root.has("downloadUrl") || root.has("artifacts") || root.path("automation").has("nativeConfigName")) {
            return PACKAGE_EVENT_TYPE;
        }
        if (root.path("automation").has("channel")) {
            return DEPLOY_EVENT_TYPE;
        }
        return BUILD_EVENT_TYPE;
    }

    private static Optional<Platform> platform(JsonNode root, JsonNode automation, Optional<String> jobType,
                                               String eventType) {
        Optional<String> named = JsonPayload.text(root, "platform")
                .or(() -> JsonPayload.text(automation, "platform"))
                .or(() -> jobType.filter(j -> j.startsWith("package-")).map(j -> j.substring("package-".length())));
        if (named.isPresent()) {
            return EventDraft.platformNamed(named);
        }
        return DEPLOY_EVENT_TYPE.equals(eventType) ? Optional.of(Platform.WEB) : Optional.empty();
    }

    private static Optional<String> artifactTypes(JsonNode artifacts) {
        if (!artifacts.isArray()) {
            return Optional.empty();
        }
        List<String> types = new ArrayList<>();
        artifacts.forEach(a -> JsonPayload.text(a, "artifactType").ifPresent(types::add));
        return types.isEmpty() ? Optional.empty() : Optional.of(String.join(",", types));
    }
}
