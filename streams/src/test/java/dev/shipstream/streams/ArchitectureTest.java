package dev.shipstream.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.shipstream.streams.metrics.Measurement;
import dev.shipstream.streams.metrics.MetricBucket;
import dev.shipstream.streams.metrics.MetricKey;
import dev.shipstream.streams.metrics.PayloadDurations;
import dev.shipstream.streams.metrics.ReviewCycleDurations;
import dev.shipstream.streams.metrics.StatePhases;
import dev.shipstream.streams.review.Cycle;
import dev.shipstream.streams.review.ReviewCycles;
import dev.shipstream.streams.review.VersionStateChange;
import org.junit.jupiter.api.Test;

/**
 * The streams app's boundaries: the topology knows no HTTP server, and normalisers and the review state machine are
 * pure.
 */
class ArchitectureTest {

    private static final JavaClasses STREAMS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.shipstream.streams");

    @Test
    void topologyAndItsProcessorsKnowNoHttpServer() {
        noClasses().that().resideInAnyPackage("..streams.topology..", "..streams.dedup..", "..streams.errors..",
                        "..streams.normalize..", "..streams.enrich..", "..streams.review..", "..streams.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "..streams.http..", "..streams.query..")
                .check(STREAMS);
    }

    @Test
    void normalisersArePureFunctionsOfTheRawWebhook() {
        noClasses().that().resideInAPackage("..streams.normalize..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "java.net.http..",
                        "..streams.enrich..", "..streams.topology..")
                .check(STREAMS);
    }

    @Test
    void enrichmentKnowsNothingOfTheStepsAfterIt() {
        noClasses().that().resideInAPackage("..streams.enrich..")
                .should().dependOnClassesThat().resideInAnyPackage("..streams.review..", "..streams.metrics..")
                .check(STREAMS);
    }

    @Test
    void theReviewStateMachineIsPure() {
        noClasses().that().belongToAnyOf(ReviewCycles.class, Cycle.class, VersionStateChange.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.vertx..",
                        "java.net..", "java.time..", "..streams.topology..", "..streams.enrich..")
                .check(STREAMS);
    }

    @Test
    void theDurationExtractorsArePure() {
        noClasses().that().belongToAnyOf(PayloadDurations.class, ReviewCycleDurations.class, StatePhases.class,
                        Measurement.class, MetricBucket.class, MetricKey.class)
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.vertx..",
                        "java.net..", "..streams.topology..", "..streams.enrich..")
                .check(STREAMS);
    }
}
