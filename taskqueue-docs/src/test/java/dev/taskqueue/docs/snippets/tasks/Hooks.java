package dev.taskqueue.docs.snippets.tasks;

import dev.taskqueue.event.TaskFailedEvent;
import dev.taskqueue.worker.TaskContext;
import dev.taskqueue.worker.TaskListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

// tag::listener[]
// a bean: sees every task of this worker
@Component
class SlowTaskLog implements TaskListener {

	private static final Logger logger = LoggerFactory.getLogger(SlowTaskLog.class);

	@Override
	public void onFailure(TaskContext task, Throwable exception) {
		logger.warn("{}{} failed: {}", task.getTaskName(), task.getArgs(), exception.getMessage());
	}

}
// end::listener[]

// tag::audit[]
// not a bean: created for each task that names it
class AuditTrail implements TaskListener {

	@Override
	public void onSuccess(TaskContext task, @Nullable Object result) {
		// record who asked for what
	}

}
// end::audit[]

// tag::event[]
@Component
class FailureAlerts {

	private static final Logger logger = LoggerFactory.getLogger(FailureAlerts.class);

	@EventListener
	void onFailure(TaskFailedEvent event) {
		logger.error("task {} ({}) failed", event.getTaskId(), event.getTaskName(), event.getException());
	}

}
// end::event[]
