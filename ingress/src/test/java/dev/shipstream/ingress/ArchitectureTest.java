package dev.shipstream.ingress;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The ingress's boundaries: verifiers are pure functions, and publishing knows nothing of HTTP. */
class ArchitectureTest {

    private static final JavaClasses INGRESS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.shipstream.ingress");

    @Test
    void verifiersKnowNeitherVertxNorKafka() {
        noClasses().that().resideInAPackage("..ingress.verify..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "org.apache.kafka..", "io.netty..")
                .check(INGRESS);
    }

    @Test
    void verifiersDoNotDependOnTheRestOfTheIngress() {
        noClasses().that().resideInAPackage("..ingress.verify..")
                .should().dependOnClassesThat().resideInAnyPackage("..ingress.http..", "..ingress.publish..")
                .check(INGRESS);
    }

    @Test
    void publishingKnowsNoHttpRoutes() {
        noClasses().that().resideInAPackage("..ingress.publish..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..", "..ingress.http..")
                .check(INGRESS);
    }
}
