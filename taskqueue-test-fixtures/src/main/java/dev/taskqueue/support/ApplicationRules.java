package dev.taskqueue.support;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * What code written as an application writes it (the samples, the documentation's
 * examples) may use of taskqueue: its API, never an {@code internal} package, which
 * carries no compatibility promise. Include them with
 * {@code @ArchTest ArchTests.in(...)}. Code that Spring AOT generates at build time
 * (classes named {@code ...__BeanDefinitions} and the like) is the framework's, not the
 * application's, and is left out.
 */
public final class ApplicationRules {

	/** No class uses taskqueue's internal packages. */
	@ArchTest
	public static final ArchRule applicationsUseOnlyTheApi = noClasses().that()
		.haveNameNotMatching(".*__.*")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.taskqueue..internal..")
		.because("internal packages carry no compatibility promise: applications use the API packages");

	private ApplicationRules() {
	}

}
