package dev.taskqueue.sample.dispatcher;

import java.util.function.Function;

import dev.taskqueue.client.TaskResult;

/**
 * One call of the tutorial, replayed in Java: what it was in Python, how it is sent here,
 * and what it must give.
 *
 * @param key a short key the report and later scenarios refer to it by ({@code "a"},
 * {@code "b"}, ...)
 * @param celery the tutorial's Python call
 * @param java the Java call that replaces it
 * @param send sends the task; may read the outcomes of earlier scenarios from the context
 * @param expected the outcome it must give
 */
public record Scenario(String key, String celery, String java, Function<ScenarioContext, TaskResult> send,
		Expectation expected) {

}
