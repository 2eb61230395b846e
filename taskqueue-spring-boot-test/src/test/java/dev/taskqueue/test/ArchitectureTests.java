package dev.taskqueue.test;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.taskqueue.support.SecurityRules;
import dev.taskqueue.support.ThisModuleClasses;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * How the test support's packages depend on each other: the API and its implementation
 * know nothing of the auto-configuration that wires them.
 */
@AnalyzeClasses(locations = ThisModuleClasses.class)
class ArchitectureTests {

	@ArchTest
	static final ArchTests security = ArchTests.in(SecurityRules.class);

	@ArchTest
	static final ArchRule apiAndInternalsDoNotDependOnTheAutoConfiguration = noClasses().that()
		.resideOutsideOfPackage("dev.taskqueue.test.autoconfigure..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.taskqueue.test.autoconfigure..");

	@ArchTest
	static final ArchRule internalsDoNotDependOnTheAutoConfigurationModule = noClasses().that()
		.resideInAPackage("dev.taskqueue.test.internal..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.taskqueue.autoconfigure..");

}
