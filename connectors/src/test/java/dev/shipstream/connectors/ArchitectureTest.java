package dev.shipstream.connectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The connectors' boundaries: a shared framework that knows no target, and tasks that know no Kafka Streams. */
@AnalyzeClasses(packages = "dev.shipstream", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule frameworkKnowsNoTarget = noClasses().that().resideInAPackage("dev.shipstream.connect.common..")
            .should().dependOnClassesThat().resideInAPackage("dev.shipstream.connectors..");

    @ArchTest
    static final ArchRule connectorsKnowNoKafkaStreams = noClasses()
            .that().resideInAnyPackage("dev.shipstream.connect..", "dev.shipstream.connectors..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.kafka.streams..");

    @ArchTest
    static final ArchRule slackKnowsNoOtherTarget = noClasses()
            .that().resideInAPackage("dev.shipstream.connectors.slack..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.shipstream.connectors.jira..",
                    "dev.shipstream.connectors.ci..");

    @ArchTest
    static final ArchRule jiraKnowsNoOtherTarget = noClasses()
            .that().resideInAPackage("dev.shipstream.connectors.jira..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.shipstream.connectors.slack..",
                    "dev.shipstream.connectors.ci..");

    @ArchTest
    static final ArchRule ciKnowsNoOtherTarget = noClasses()
            .that().resideInAPackage("dev.shipstream.connectors.ci..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.shipstream.connectors.slack..",
                    "dev.shipstream.connectors.jira..");
}
