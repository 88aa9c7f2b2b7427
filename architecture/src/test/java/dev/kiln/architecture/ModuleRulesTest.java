package dev.kiln.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The module map of docs/architecture.md, checked on the compiled classes of every module. */
class ModuleRulesTest {
  private static final String[] SERVER_SIDE = {
    "dev.kiln.db..",
    "dev.kiln.dropwizard..",
    "dev.kiln.api..",
    "dev.kiln.scheduler..",
    "org.jdbi..",
    "org.postgresql..",
    "org.flywaydb..",
    "io.dropwizard.."
  };

  private static JavaClasses kiln;

  @BeforeAll
  static void importKiln() {
    kiln =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kiln");
  }

  @Test
  void theAgentUsesTheModelAndTheProtocolOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVER_SIDE)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.kiln.client..", "dev.kiln.cli..")
        .check(kiln);
  }

  @Test
  void theCliUsesTheProtocolAndTheClientOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVER_SIDE)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.kiln.agent..")
        .check(kiln);
  }

  @Test
  void theModelDependsOnNothing() {
    // javax.crypto is the JDK's: webhook signatures and unsubscribe tokens are pure HMACs.
    classes()
        .that()
        .resideInAPackage("dev.kiln.model..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "javax.crypto..", "dev.kiln.model..", "com.fasterxml.jackson.annotation..")
        .check(kiln);
  }

  @Test
  void theSimulatorRunsTheModelAndNothingElseOfKiln() {
    // The simulator drives the model's own planner and scaling controller, never a copy, and
    // needs no service: it must not reach into the scheduler, the queue or the database.
    classes()
        .that()
        .resideInAPackage("dev.kiln.simulator..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.kiln.model..", "dev.kiln.simulator..")
        .check(kiln);
  }

  @Test
  void theSchedulerDecidesItsFleetSizeThroughTheModelsScalingController() {
    classes()
        .that()
        .haveFullyQualifiedName("dev.kiln.scheduler.autoscale.Autoscaler")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.kiln.model.fleet.ScalingController")
        .check(kiln);
  }

  @Test
  void theWireTypesAndTheClientDependOnTheModelAndJacksonOnly() {
    classes()
        .that()
        .resideInAPackage("dev.kiln.client..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "dev.kiln.model..", "dev.kiln.client..", "com.fasterxml.jackson..")
        .check(kiln);
  }

  @Test
  void theProtocolKnowsNoServerOrClient() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVER_SIDE)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.kiln.agent..", "dev.kiln.cli..", "dev.kiln.client..")
        .check(kiln);
  }

  @Test
  void theDatabaseModuleKnowsNoRedisS3OrDropwizard() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.db..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.kiln.protocol..",
            "dev.kiln.dropwizard..",
            "dev.kiln.api..",
            "dev.kiln.scheduler..",
            "org.redisson..",
            "software.amazon.awssdk..",
            "io.dropwizard..")
        .check(kiln);
  }

  @Test
  void onlyTheObjectStoreHoldsAnS3Client() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.kiln.api..",
            "dev.kiln.scheduler..",
            "dev.kiln.agent..",
            "dev.kiln.local..",
            "dev.kiln.dropwizard..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(S3Client.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(S3Presigner.class)
        .check(kiln);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.kiln.(**)").should().beFreeOfCycles().check(kiln);
  }
}
