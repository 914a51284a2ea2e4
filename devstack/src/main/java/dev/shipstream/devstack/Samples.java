package dev.shipstream.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * The sample webhook bodies {@code ./shipstream send} knows by name: one per source and state, copied from the test
 * payloads (which say where each came from; {@code rejected} and {@code resubmitted} are the {@code in-review} and
 * {@code waiting-for-review} bodies with the states an App Store rejection and a resubmission carry;
 * {@code feedback-crash} is Apple's documented example), and the
 * {@code release} scenario that replays them in a realistic order.
 */
final class Samples {

    /**
     * One named sample.
     *
     * @param source      asc, eas or appflow
     * @param name        the state or event it shows
     * @param description what it is, for {@code --list}
     */
    record Sample(String source, String name, String description) {

        /** The body's bytes, exactly as stored. */
        byte[] body() {
            String resource = "/samples/" + source + "/" + name + ".json";
            try (InputStream in = Samples.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the sample " + resource + " is missing from the build");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the sample " + resource, e);
            }
        }
    }

    static final List<Sample> ALL = List.of(
            new Sample("asc", "ping", "webhookPingCreated: App Store Connect's test ping"),
            new Sample("asc", "build-upload-complete", "buildUploadStateUpdated PROCESSING -> COMPLETE"),
            new Sample("asc", "build-upload-failed", "buildUploadStateUpdated PROCESSING -> FAILED"),
            new Sample("asc", "beta-approved", "buildBetaDetailExternalBuildStateUpdated: external beta approved"),
            new Sample("asc", "prepare-for-submission", "app version DEVELOPER_REJECTED -> PREPARE_FOR_SUBMISSION"),
            new Sample("asc", "ready-for-review", "app version PREPARE_FOR_SUBMISSION -> READY_FOR_REVIEW"),
            new Sample("asc", "waiting-for-review", "app version READY_FOR_REVIEW -> WAITING_FOR_REVIEW"),
            new Sample("asc", "developer-rejected", "app version WAITING_FOR_REVIEW -> DEVELOPER_REJECTED"),
            new Sample("asc", "in-review", "app version WAITING_FOR_REVIEW -> IN_REVIEW"),
            new Sample("asc", "rejected", "app version IN_REVIEW -> REJECTED"),
            new Sample("asc", "resubmitted", "app version REJECTED -> WAITING_FOR_REVIEW"),
            new Sample("asc", "pending-developer-release", "app version IN_REVIEW -> PENDING_DEVELOPER_RELEASE"),
            new Sample("asc", "ready-for-distribution", "app version PENDING_DEVELOPER_RELEASE -> READY_FOR_DISTRIBUTION"),
            new Sample("asc", "feedback-crash", "betaFeedbackCrashSubmissionCreated: a TestFlight tester sent a crash"),
            new Sample("eas", "build-errored", "an EAS build that errored"),
            new Sample("eas", "submit-errored", "an EAS submission that errored"),
            new Sample("appflow", "build-success", "an Appflow package (native build) automation that succeeded"),
            new Sample("appflow", "deploy-success", "an Appflow deploy (live update) automation that succeeded"));

    /** The {@code release} scenario: a build, a review, a rejection, a resubmission and the release, in order. */
    static final List<Sample> RELEASE = List.of(
            find("asc", "build-upload-complete").orElseThrow(),
            find("asc", "ready-for-review").orElseThrow(),
            find("asc", "waiting-for-review").orElseThrow(),
            find("asc", "in-review").orElseThrow(),
            find("asc", "rejected").orElseThrow(),
            find("asc", "resubmitted").orElseThrow(),
            find("asc", "in-review").orElseThrow(),
            find("asc", "pending-developer-release").orElseThrow(),
            find("asc", "ready-for-distribution").orElseThrow());

    /** The scenario names {@code --scenario} takes. */
    static final List<String> SCENARIOS = List.of("release");

    private Samples() {
    }

    static Optional<Sample> find(String source, String name) {
        return ALL.stream().filter(s -> s.source().equals(source) && s.name().equals(name)).findFirst();
    }

    /** The {@code --list} text. */
    static String list() {
        StringBuilder text = new StringBuilder("Samples (./shipstream send SOURCE NAME):\n");
        for (Sample sample : ALL) {
            text.append(String.format("  %-8s %-26s %s%n", sample.source(), sample.name(), sample.description()));
        }
        text.append("Scenarios (./shipstream send --scenario NAME):\n");
        text.append(String.format("  %-35s %s%n", "release", RELEASE.stream()
                .map(Sample::name).reduce((a, b) -> a + ", " + b).orElse("")));
        return text.toString();
    }
}
