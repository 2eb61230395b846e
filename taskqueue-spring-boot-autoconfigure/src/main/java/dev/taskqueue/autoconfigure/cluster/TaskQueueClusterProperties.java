package dev.taskqueue.autoconfigure.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the cluster of Java and Python workers: the exchanges Celery's remote
 * control and monitoring events use, and the cluster client's default timeout.
 */
@ConfigurationProperties("taskqueue.cluster")
public class TaskQueueClusterProperties {

	/**
	 * Celery's control_exchange: remote-control requests go to <name>.pidbox, replies to
	 * reply.<name>.pidbox. Must match the Celery workers' and clients' setting.
	 */
	private String controlExchange = "celery";

	/**
	 * Celery's event_exchange, where monitoring events are published and read. Must match
	 * the Celery workers', Flower's and celery events' setting.
	 */
	private String eventExchange = "celeryev";

	/**
	 * How long the cluster client waits for replies when a call does not say; a call to
	 * named nodes ends as soon as they all replied.
	 */
	private Duration timeout = Duration.ofSeconds(1);

	/**
	 * Whether the worker directory (actuator endpoint) also lists the workers Celery's
	 * worker events show, such as Python Celery workers, judged offline twice their
	 * heartbeat interval after their last heartbeat.
	 */
	private boolean monitorWorkers = true;

	public String getControlExchange() {
		return this.controlExchange;
	}

	public void setControlExchange(String controlExchange) {
		this.controlExchange = controlExchange;
	}

	public String getEventExchange() {
		return this.eventExchange;
	}

	public void setEventExchange(String eventExchange) {
		this.eventExchange = eventExchange;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public boolean isMonitorWorkers() {
		return this.monitorWorkers;
	}

	public void setMonitorWorkers(boolean monitorWorkers) {
		this.monitorWorkers = monitorWorkers;
	}

}
