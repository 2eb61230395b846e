package dev.taskqueue.sample.dispatcher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the dispatcher decides, before it starts, that it runs the scenarios instead of
 * serving HTTP.
 */
class ScenarioRunnerTests {

	@Test
	void scenariosArgumentAsksForTheScenarios() {
		assertThat(ScenarioRunner.isRequested(new String[] { "--scenarios" })).isTrue();
	}

	@Test
	void scenariosPropertyOnTheCommandLineAsksForTheScenarios() {
		assertThat(ScenarioRunner.isRequested(new String[] { "--dispatcher.scenarios=true" })).isTrue();
	}

	@Test
	void otherArgumentsDoNot() {
		assertThat(ScenarioRunner.isRequested(new String[] { "--server.port=9090", "scenarios" })).isFalse();
		assertThat(ScenarioRunner.isRequested(new String[] { "--dispatcher.scenarios=false" })).isFalse();
		// Without a value the property would read as empty, not true: main and the runner
		// must agree.
		assertThat(ScenarioRunner.isRequested(new String[] { "--dispatcher.scenarios" })).isFalse();
	}

}
