package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of task interfaces ({@link dev.taskqueue.client.TaskExchange}).
 */
@ConfigurationProperties("taskqueue.task-interfaces")
public class TaskInterfacesProperties {

	/**
	 * How long a task interface method that returns the task's result waits for it,
	 * unless its @TaskExchange(timeout) or the call's TaskCallOptions say otherwise.
	 */
	private Duration timeout = Duration.ofSeconds(30);

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
