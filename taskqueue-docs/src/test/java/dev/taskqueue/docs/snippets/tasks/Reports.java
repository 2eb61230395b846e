package dev.taskqueue.docs.snippets.tasks;

import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

@Component
class Reports {

	private static final Logger logger = LoggerFactory.getLogger(Reports.class);

	// tag::context[]
	@QueueTask("reports.render")
	String render(String reportId, TaskContext task) {
		logger.info("rendering {} as task {} (retry {}) on {}", reportId, task.getId(), task.getRetries(),
				task.getWorker());
		return "report-" + reportId;
	}
	// end::context[]

	// tag::listeners[]
	@QueueTask(name = "reports.audit", listeners = AuditTrail.class)
	void audit(String reportId) {
		// ...
	}
	// end::listeners[]

}
