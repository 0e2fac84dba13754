package io.seqcast;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which packages may use which. The per-record path is layered: {@code state} (the stored form) under
 * {@code anomaly} (scores and alerts on their own slices) under {@code forecast} (the per-series step and its stages)
 * under {@code topology} (the processors) under {@code app} (the engine) under {@code cli}. Serving ({@code model}:
 * the served models and their artifacts, {@code kernel}) knows nothing of {@code training} (network building, the
 * trainers and the training workflows), which only the commands, the continual trainer and the benchmark use. A rule
 * that fails names the class and the dependency that breaks it.
 */
class ArchitectureTest {

    static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.seqcast");
    }

    @Test
    void theStoredStateDependsOnNoOtherPartOfSeqcast() {
        noClasses()
                .that()
                .resideInAPackage("io.seqcast.state..")
                .should()
                .dependOnClassesThat(resideInAPackage("io.seqcast..").and(resideOutsideOfPackage("io.seqcast.state..")))
                .check(main);
    }

    @Test
    void anomalyScoringKnowsNothingOfTheStepThatRunsIt() {
        noClasses()
                .that()
                .resideInAPackage("io.seqcast.anomaly..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.seqcast.forecast..",
                        "io.seqcast.topology..",
                        "io.seqcast.metrics..",
                        "io.seqcast.model..",
                        "io.seqcast.state..",
                        "io.seqcast.app..")
                .check(main);
    }

    @Test
    void thePerSeriesStepKnowsNothingOfKafkaStreamsOrTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.seqcast.forecast..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.seqcast.topology..",
                        "io.seqcast.metrics..",
                        "io.seqcast.app..",
                        "io.seqcast.cli..",
                        "io.seqcast.registry..",
                        "org.apache.kafka.streams..")
                .check(main);
    }

    @Test
    void combinedForecastsUseTheSeasonalProfilesNotTheAnomalyPackage() {
        noClasses()
                .that()
                .haveFullyQualifiedName("io.seqcast.forecast.Combination")
                .or()
                .haveFullyQualifiedName("io.seqcast.forecast.SeasonalProfiles")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.seqcast.anomaly..")
                .check(main);
    }

    @Test
    void metricsDependOnOutcomesNotOnTheForecaster() {
        noClasses()
                .that()
                .resideInAPackage("io.seqcast.metrics..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.seqcast.forecast.SeriesForecaster")
                .check(main);
    }

    @Test
    void theTopologyKnowsNothingOfTheCommandsOrTheEngineAroundIt() {
        noClasses()
                .that()
                .resideInAPackage("io.seqcast.topology..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.seqcast.app..",
                        "io.seqcast.cli..",
                        "io.seqcast.registry..",
                        "io.seqcast.web..",
                        "io.seqcast.evaluate..",
                        "io.seqcast.bench..",
                        "io.seqcast.demo..")
                .check(main);
    }

    @Test
    void onlyTheCommandsAndTheBenchmarkStartTheEngine() {
        classes()
                .that()
                .resideInAPackage("io.seqcast.app..")
                .should()
                .onlyBeAccessed()
                .byClassesThat()
                .resideInAnyPackage("io.seqcast.app..", "io.seqcast.cli..", "io.seqcast.bench..")
                .check(main);
    }

    @Test
    void nothingButTheCommandsUsesTheCommands() {
        classes()
                .that()
                .resideInAPackage("io.seqcast.cli..")
                .should()
                .onlyBeAccessed()
                .byClassesThat()
                .resideInAnyPackage("io.seqcast.cli..", "io.seqcast.bench..")
                .check(main);
    }

    @Test
    void servingKnowsNothingOfTraining() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.seqcast.model..",
                        "io.seqcast.kernel..",
                        "io.seqcast.learn..",
                        "io.seqcast.classify..",
                        "io.seqcast.event..",
                        "io.seqcast.state..",
                        "io.seqcast.anomaly..",
                        "io.seqcast.forecast..",
                        "io.seqcast.topology..",
                        "io.seqcast.registry..",
                        "io.seqcast.metrics..",
                        "io.seqcast.app..",
                        "io.seqcast.web..",
                        "io.seqcast.evaluate..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.seqcast.training..")
                .check(main);
    }

    @Test
    void onlyTheCommandsTheContinualTrainerAndTheBenchmarkTrain() {
        classes()
                .that()
                .resideInAPackage("io.seqcast.training..")
                .should()
                .onlyBeAccessed()
                .byClassesThat()
                .resideInAnyPackage(
                        "io.seqcast.training..", "io.seqcast.cli..", "io.seqcast.trainer..", "io.seqcast.bench..")
                .check(main);
    }

    @Test
    void theRegistryKnowsNothingOfTheEngineOrTheCommands() {
        noClasses()
                .that()
                .resideInAPackage("io.seqcast.registry..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.seqcast.app..", "io.seqcast.cli..", "io.seqcast.topology..", "io.seqcast.bench..")
                .check(main);
    }
}
