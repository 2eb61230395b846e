package dev.taskqueue.sample.dispatcher;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.taskqueue.client.TaskClient;

/**
 * What a {@link Scenario} can use: the client and the outcomes of the scenarios before
 * it.
 */
public final class ScenarioContext {

	private final TaskClient client;

	private final Map<String, ScenarioOutcome> outcomes = new LinkedHashMap<>();

	ScenarioContext(TaskClient client) {
		this.client = client;
	}

	/**
	 * Return the client.
	 * @return the client
	 */
	public TaskClient client() {
		return this.client;
	}

	/**
	 * The id of the task an earlier scenario sent.
	 * @param key the earlier scenario's key
	 * @return the task id
	 * @throws IllegalStateException if that scenario has not run or sent no task
	 */
	public String taskIdOf(String key) {
		ScenarioOutcome outcome = this.outcomes.get(key);
		if (outcome == null || outcome.taskId() == null) {
			throw new IllegalStateException("scenario " + key + " sent no task");
		}
		return outcome.taskId();
	}

	void record(ScenarioOutcome outcome) {
		this.outcomes.put(outcome.scenario().key(), outcome);
	}

}
