package dev.streamlearn.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.streamlearn");

    @Test
    @DisplayName("the model package never touches Kafka or Avro: its math is testable without a broker")
    void modelHasNoKafka() {
        noClasses().that().resideInAPackage("dev.streamlearn.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "org.apache.avro..",
                        "dev.streamlearn.avro..", "dev.streamlearn.kafka..", "dev.streamlearn.learner..")
                .check(MAIN);
    }

    @Test
    @DisplayName("the data package depends on the JDK only, the monitor never on the model")
    void layering() {
        noClasses().that().resideInAPackage("dev.streamlearn.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache..", "org.nd4j..",
                        "dev.streamlearn.model..", "dev.streamlearn.kafka..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.streamlearn.monitor..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.streamlearn.model..", "org.nd4j..")
                .check(MAIN);
    }
}
