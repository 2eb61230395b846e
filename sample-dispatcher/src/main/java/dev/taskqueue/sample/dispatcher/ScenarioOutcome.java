package dev.taskqueue.sample.dispatcher;

import java.time.Duration;

import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link Scenario} gave.
 *
 * @param scenario the scenario
 * @param taskId the id of the task it sent, or {@code null} if it could not send one
 * @param state the task's final (or last seen) state
 * @param result what the task returned, when it succeeded
 * @param error the task's exception, when it failed
 * @param problem what went wrong on this side (not sent, timed out), or {@code null}
 * @param elapsed the time from sending to the result
 */
public record ScenarioOutcome(Scenario scenario, @Nullable String taskId, TaskState state, @Nullable Object result,
		@Nullable ExceptionInfo error, @Nullable String problem, Duration elapsed) {

}
