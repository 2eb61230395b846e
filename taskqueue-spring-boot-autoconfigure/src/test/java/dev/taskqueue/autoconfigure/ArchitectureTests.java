package dev.taskqueue.autoconfigure;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.taskqueue.support.SecurityRules;
import dev.taskqueue.support.ThisModuleClasses;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * How the auto-configuration's packages may depend on each other, and what none of its
 * classes may do. The feature packages ({@code health}, {@code metrics},
 * {@code endpoint}) build on the root package and stand beside each other: each can be
 * left out without the others noticing.
 */
@AnalyzeClasses(locations = ThisModuleClasses.class)
class ArchitectureTests {

	private static final String ROOT = "dev.taskqueue.autoconfigure";

	private static final String HEALTH = ROOT + ".health..";

	private static final String METRICS = ROOT + ".metrics..";

	private static final String ENDPOINT = ROOT + ".endpoint..";

	@ArchTest
	static final ArchTests security = ArchTests.in(SecurityRules.class);

	@ArchTest
	static final ArchRule rootDependsOnNoFeaturePackage = noClasses().that()
		.resideInAPackage(ROOT)
		.should()
		.dependOnClassesThat(resideInAnyPackage(HEALTH, METRICS, ENDPOINT));

	@ArchTest
	static final ArchRule healthDependsOnNoOtherFeature = noClasses().that()
		.resideInAPackage(HEALTH)
		.should()
		.dependOnClassesThat(resideInAnyPackage(METRICS, ENDPOINT));

	@ArchTest
	static final ArchRule metricsDependsOnNoOtherFeature = noClasses().that()
		.resideInAPackage(METRICS)
		.should()
		.dependOnClassesThat(resideInAnyPackage(HEALTH, ENDPOINT));

	@ArchTest
	static final ArchRule endpointDependsOnNoOtherFeature = noClasses().that()
		.resideInAPackage(ENDPOINT)
		.should()
		.dependOnClassesThat(resideInAnyPackage(HEALTH, METRICS));

}
