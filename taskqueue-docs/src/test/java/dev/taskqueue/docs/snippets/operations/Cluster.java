package dev.taskqueue.docs.snippets.operations;

import java.util.List;
import java.util.Map;

import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.QueriedTask;
import dev.taskqueue.control.TaskInfo;
import dev.taskqueue.control.WorkerStats;
import org.springframework.beans.factory.annotation.Autowired;

class Cluster {

	@Autowired
	ClusterControl cluster;

	void inspectAndControl(String taskId) {
		ClusterControl cluster = this.cluster;
		// tag::cluster[]
		Map<String, WorkerStats> stats = cluster.inspect().stats();
		Map<String, List<TaskInfo>> running = cluster.inspect().destination("worker1@host").active();
		Map<String, Map<String, QueriedTask>> where = cluster.inspect().queryTask(taskId);
		Map<String, ControlReply> limited = cluster.control().rateLimit("worker.divide", "10/m");
		cluster.control().matching("py-*@*").addConsumer("reports");
		// end::cluster[]
	}

}
