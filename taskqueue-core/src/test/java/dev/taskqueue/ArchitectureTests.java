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
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * How the core's packages may depend on each other, and what none of its classes may do.
 * Each concern is a package of its own: its API in the package, its implementation in an
 * {@code internal} subpackage. {@code protocol} (the wire) is at the bottom and
 * {@code worker} at the top; the concerns in between use only what is below them, and no
 * two concerns depend on each other.
 */
@AnalyzeClasses(locations = ThisModuleClasses.class)
class ArchitectureTests {

	@ArchTest
	static final ArchTests security = ArchTests.in(SecurityRules.class);

	@ArchTest
	static final ArchRule concernsAreFreeOfCycles = slices().matching("dev.taskqueue.(*)..").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule protocolDependsOnNoOtherConcern = onlyOn("protocol");

	@ArchTest
	static final ArchRule eventDependsOnNoOtherConcern = onlyOn("event");

	@ArchTest
	static final ArchRule rateLimitDependsOnNoOtherConcern = onlyOn("ratelimit");

	@ArchTest
	static final ArchRule brokerDependsOnlyOnTheProtocol = onlyOn("broker", "protocol");

	@ArchTest
	static final ArchRule resultDependsOnlyOnTheProtocol = onlyOn("result", "protocol");

	@ArchTest
	static final ArchRule observationDependsOnlyOnTheProtocol = onlyOn("observation", "protocol");

	@ArchTest
	static final ArchRule controlDependsOnlyOnTheProtocolAndRateLimits = onlyOn("control", "protocol", "ratelimit");

	@ArchTest
	static final ArchRule clientDoesNotDependOnTheWorker = onlyOn("client", "protocol", "event", "ratelimit", "broker",
			"result", "observation", "control");

	@ArchTest
	static final ArchRule onlyTheClientAndTheWorkerUseTheClientsInternals = noClasses().that()
		.resideOutsideOfPackages("dev.taskqueue.client..", "dev.taskqueue.worker..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.taskqueue.client.internal..");

	@ArchTest
	static final ArchRule onlyTheWorkerUsesTheWorkersInternals = noClasses().that()
		.resideOutsideOfPackage("dev.taskqueue.worker..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.taskqueue.worker.internal..");

	/**
	 * A rule that a concern (with its subpackages) depends on no taskqueue package but
	 * itself and the allowed ones.
	 * @param name the concern's package, below {@code dev.taskqueue}
	 * @param allowed the concerns it may use
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
