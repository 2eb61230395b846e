package dev.taskqueue.docs;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.taskqueue.support.ApplicationRules;

/**
 * The documentation's examples are application code: they use taskqueue's API only.
 */
@AnalyzeClasses(packages = "dev.taskqueue.docs.snippets")
class SnippetApiUseTests {

	@ArchTest
	static final ArchTests applicationRules = ArchTests.in(ApplicationRules.class);

}
