package dev.taskqueue.test.internal;

import dev.taskqueue.control.internal.WorkerEventMonitor;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * A monitor of the cluster's worker events that does not start with the application: in
 * the record and inline modes there is no broker to listen to.
 */
public final class IdleWorkerEventMonitor extends WorkerEventMonitor {

	/**
	 * Create a monitor that never connects unless started.
	 * @param connectionFactory the application's connection factory
	 */
	public IdleWorkerEventMonitor(ConnectionFactory connectionFactory) {
		super(connectionFactory);
	}

	@Override
	public boolean isAutoStartup() {
		return false;
	}

}
