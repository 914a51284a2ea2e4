package dev.shipstream.streams.normalize;

/**
 * The keys normalisers write into {@code DeliveryEvent.extras}: details that have no field of their own. Values are
 * strings; timestamps among them are ISO-8601 instants in UTC ({@link java.time.Instant#toString()}), whatever form the
 * provider used, so metrics and templates can read them without knowing the source.
 */
public final class ExtraKeys {

    /** When the work began (EAS worker start or build start, Appflow {@code started}). */
    public static final String STARTED_AT = "startedAt";
    /** When the work ended (EAS {@code completedAt} or build end, Appflow {@code finished}). */
    public static final String FINISHED_AT = "finishedAt";
    /** When the build or submission was created. */
    public static final String CREATED_AT = "createdAt";
    /** When an EAS build was queued. */
    public static final String ENQUEUED_AT = "enqueuedAt";
    /** The payload's own timestamp text, kept when it could not be parsed (occurredAt is then estimated). */
    public static final String UNPARSED_TIMESTAMP = "unparsedTimestamp";

    /** App Store Connect alternative distribution: whether the package or territory is available. */
    public static final String AVAILABLE = "available";
    /** App Store Connect alternative distribution: ISO 3166 alpha-3 territories, comma-separated. */
    public static final String TERRITORIES = "territories";
    /** App Store Connect alternative distribution: the marketplace's own app id. */
    public static final String MARKETPLACE_APP_ID = "marketplaceAppId";
    /** App Store Connect: {@code attributes.ping}, when a payload marks itself as a test. */
    public static final String PING = "ping";

    /** EAS account owning the project. */
    public static final String ACCOUNT_NAME = "accountName";
    /** EAS project slug. */
    public static final String PROJECT_NAME = "projectName";
    /** EAS build profile, e.g. {@code production}. */
    public static final String BUILD_PROFILE = "buildProfile";
    /** EAS distribution, e.g. {@code store}. */
    public static final String DISTRIBUTION = "distribution";
    /** EAS workflow, {@code managed} or {@code generic}. */
    public static final String WORKFLOW = "workflow";
    /** EAS Update channel. */
    public static final String CHANNEL = "channel";
    /** EAS legacy release channel. */
    public static final String RELEASE_CHANNEL = "releaseChannel";
    /** EAS runtime version. */
    public static final String RUNTIME_VERSION = "runtimeVersion";
    /** Expo SDK version. */
    public static final String SDK_VERSION = "sdkVersion";
    /** EAS CLI version. */
    public static final String CLI_VERSION = "cliVersion";
    /** React Native version. */
    public static final String REACT_NATIVE_VERSION = "reactNativeVersion";
    /** The message attached to an EAS build. */
    public static final String BUILD_MESSAGE = "buildMessage";
    /** EAS user who started the build or submission. */
    public static final String INITIATING_USER_ID = "initiatingUserId";
    /** EAS user who canceled it. */
    public static final String CANCELING_USER_ID = "cancelingUserId";
    /** The build or submission this one retries. */
    public static final String PARENT_ID = "parentId";
    /** The EAS build a submission submitted. */
    public static final String TURTLE_BUILD_ID = "turtleBuildId";
    /** EAS build priority. */
    public static final String PRIORITY = "priority";
    /** EAS resource class the build ran on. */
    public static final String RESOURCE_CLASS = "resourceClass";
    /** EAS log location prefix (not a URL). */
    public static final String LOGS_S3_KEY_PREFIX = "logsS3KeyPrefix";
    /** Whether an EAS build ran from CI. */
    public static final String RUN_FROM_CI = "runFromCI";
    /** Whether the git working tree of an EAS build was dirty. */
    public static final String GIT_WORKING_TREE_DIRTY = "gitWorkingTreeDirty";

    /** Appflow job type, e.g. {@code package-android} or {@code snapshot}. */
    public static final String JOB_TYPE = "jobType";
    /** Appflow job id ({@code buildInfo.id}). */
    public static final String JOB_ID = "jobId";
    /** Appflow build type, e.g. {@code debug}. */
    public static final String BUILD_TYPE = "buildType";
    /** Appflow signing profile. */
    public static final String PROFILE = "profile";
    /** Appflow environment. */
    public static final String ENVIRONMENT_NAME = "environmentName";
    /** Appflow native configuration. */
    public static final String NATIVE_CONFIG_NAME = "nativeConfigName";
    /** Appflow automation id. */
    public static final String AUTOMATION_ID = "automationId";
    /** Appflow automation name. */
    public static final String AUTOMATION_NAME = "automationName";
    /** Appflow Deploy channel name. */
    public static final String CHANNEL_NAME = "channelName";
    /** Appflow Deploy channel id. */
    public static final String CHANNEL_ID = "channelId";
    /** Appflow app slug. */
    public static final String APP_SLUG = "appSlug";
    /** Appflow git ref type, e.g. {@code branch}. */
    public static final String REF_TYPE = "refType";
    /** Appflow commit before the built one. */
    public static final String BEFORE_SHA = "beforeSha";
    /** Appflow artifact types built, comma-separated (the signed artifact URLs themselves are not kept). */
    public static final String ARTIFACT_TYPES = "artifactTypes";

    private ExtraKeys() {
    }
}
