package dev.taskqueue.sample.dispatcher;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.taskqueue.support.ApplicationRules;
import dev.taskqueue.support.ThisModuleClasses;

/**
 * The sample is an application: it uses taskqueue's API only.
 */
@AnalyzeClasses(locations = ThisModuleClasses.class)
class ApiUseTests {

	@ArchTest
	static final ArchTests applicationRules = ArchTests.in(ApplicationRules.class);

}
