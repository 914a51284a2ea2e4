package dev.shipstream.local.registry;

/**
 * A request the registry refuses or cannot serve, with the HTTP status and Confluent's {@code error_code} it is
 * answered with.
 */
final class RegistryException extends RuntimeException {

    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;
    static final int INCOMPATIBLE_SCHEMA = 409;
    static final int INVALID_SCHEMA = 42201;
    static final int INVALID_VERSION = 42202;
    static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    static final int STORE_ERROR = 50001;
    static final int OPERATION_TIMED_OUT = 50002;

    private final int status;
    private final int errorCode;

    RegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    RegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(int version) {
        return new RegistryException(404, VERSION_NOT_FOUND, "Version " + version + " not found.");
    }

    static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, SCHEMA_NOT_FOUND, what);
    }

    static RegistryException subjectLevelNotConfigured(String subject) {
        return new RegistryException(404, SUBJECT_LEVEL_NOT_CONFIGURED,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String message) {
        return new RegistryException(409, INCOMPATIBLE_SCHEMA, message);
    }

    static RegistryException invalidSchema(String message) {
        return new RegistryException(422, INVALID_SCHEMA, message);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(422, INVALID_VERSION, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(422, INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level '" + level
                + "'. Valid values are none, backward, forward, full, backward_transitive, forward_transitive,"
                + " and full_transitive");
    }

    static RegistryException storeError(String message, Throwable cause) {
        return new RegistryException(500, STORE_ERROR, "Error in the backend data store: " + message, cause);
    }

    static RegistryException timedOut(String message) {
        return new RegistryException(500, OPERATION_TIMED_OUT, "Operation timed out: " + message);
    }

    static RegistryException malformedRequest(String message) {
        return new RegistryException(400, 400, message);
    }
}
