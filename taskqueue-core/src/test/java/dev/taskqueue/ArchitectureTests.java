package dev.taskqueue;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.taskqueue.support.SecurityRules;
import dev.taskqueue.support.ThisModuleClasses;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * How the core's packages may depend on each other, and what none of its classes may do.
 * {@code protocol} (the wire) is at the bottom and {@code worker} at the top; the
 * packages in between use only what is below them.
 */
@AnalyzeClasses(locations = ThisModuleClasses.class)
class ArchitectureTests {

	@ArchTest
	static final ArchTests security = ArchTests.in(SecurityRules.class);

	@ArchTest
	static final ArchRule protocolDependsOnNoOtherPackage = onlyOn("protocol");

	@ArchTest
	static final ArchRule routingDependsOnNoOtherPackage = onlyOn("routing");

	@ArchTest
	static final ArchRule eventDependsOnNoOtherPackage = onlyOn("event");

	@ArchTest
	static final ArchRule resultDependsOnlyOnProtocol = onlyOn("result", "protocol");

	@ArchTest
	static final ArchRule observationDependsOnlyOnProtocol = onlyOn("observation", "protocol");

	@ArchTest
	static final ArchRule controlDependsOnlyOnRateLimit = onlyOn("control", "ratelimit");

	@ArchTest
	static final ArchRule rateLimitDependsOnlyOnControl = onlyOn("ratelimit", "control");

	@ArchTest
	static final ArchRule brokerDependsOnlyOnClient = onlyOn("broker", "client");

	@ArchTest
	static final ArchRule onlyTheWorkerDependsOnTheWorker = noClasses().that()
		.resideOutsideOfPackage("dev.taskqueue.worker..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.taskqueue.worker..");

	/**
	 * A rule that a package (with its subpackages) depends on no taskqueue package but
	 * itself and the allowed ones.
	 * @param name the package, below {@code dev.taskqueue}
	 * @param allowed the packages it may use
	 * @return the rule
	 */
	private static ArchRule onlyOn(String name, String... allowed) {
		String[] packages = new String[allowed.length + 1];
		packages[0] = "dev.taskqueue." + name + "..";
		for (int i = 0; i < allowed.length; i++) {
			packages[i + 1] = "dev.taskqueue." + allowed[i] + "..";
		}
		return noClasses().that()
			.resideInAPackage(packages[0])
			.should()
			.dependOnClassesThat(resideInAPackage("dev.taskqueue..").and(resideOutsideOfPackages(packages)));
	}

}
