package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.QueriedTask;
import dev.taskqueue.control.QueueInfo;
import dev.taskqueue.control.ScheduledTaskInfo;
import dev.taskqueue.control.TaskInfo;
import dev.taskqueue.control.WorkerStats;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Java cluster client ({@link ClusterControl}) inspects and controls a real Celery
 * 5.2.6 worker over Celery's remote-control exchange: every inspect command the client
 * offers gets the worker's answer, every control command its {@code ok} or {@code error},
 * and a revoke from Java keeps a Python worker from running the task. The worker and the
 * client use a control exchange of this test's own.
 */
class ClusterControlInteropTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/** Long enough for the revoke to arrive before the ETA on a loaded machine. */
	private static final Duration COUNTDOWN = Duration.ofSeconds(8);

	private static final String NAMESPACE = Infrastructure.unique("ctl");

	private static final String EVENTS = Infrastructure.unique("ev");

	private static String queue;

	private static Stack stack;

	private static PythonCelery.Worker python;

	private static ClusterControl cluster;

	private static String node;

	@BeforeAll
	static void startPythonWorker() {
		queue = Infrastructure.unique("py");
		stack = Stack.builder().route("interop.py.*", Route.toQueue(queue)).build();
		// Heartbeats on (to an event exchange of the test's own): a Celery worker without
		// heartbeats, gossip and -E has no event dispatcher, and enable_events fails on
		// it
		// with AttributeError("'NoneType' object has no attribute 'groups'").
		python = PythonCelery.startWorker(queue,
				Map.of("INTEROP_CONTROL_EXCHANGE", NAMESPACE, "INTEROP_EVENT_EXCHANGE", EVENTS),
				List.of("--without-mingle", "--without-gossip"));
		node = python.nodeName();
		cluster = new ClusterControl(stack.rabbit);
		cluster.setNamespace(NAMESPACE);
		// Generous: a call with a destination ends as soon as the node answered.
		cluster.setTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void stopPythonWorker() {
		try {
			cluster.destroy();
			if (python != null) {
				python.close();
			}
			stack.admin().deleteExchange(NAMESPACE + ".pidbox");
			stack.admin().deleteExchange("reply." + NAMESPACE + ".pidbox");
			stack.admin().deleteExchange(EVENTS);
		}
		finally {
			stack.close();
		}
	}

	@Test
	void pingGetsPong() {
		Map<String, ControlReply> replies = cluster.inspect().destination(node).ping();
		assertThat(replies).containsOnlyKeys(node);
		assertThat(replies.get(node).isOk()).isTrue();
		assertThat(replies.get(node).text()).isEqualTo("pong");
	}

	@Test
	void aBroadcastToAllNodesAlsoReachesIt() {
		assertThat(cluster.inspect().timeout(Duration.ofSeconds(3)).ping()).containsKey(node);
	}

	@Test
	void statsDescribeTheWorker() {
		WorkerStats stats = cluster.inspect().destination(node).stats().get(node);
		assertThat(stats.pid()).isEqualTo(python.pid());
		assertThat(stats.pool()).containsEntry("max-concurrency", 2);
		assertThat(stats.broker()).containsEntry("port", Infrastructure.RABBIT_PORT).containsEntry("transport", "amqp");
		assertThat(stats.uptime()).isNotNegative();
		assertThat(stats.raw()).containsKeys("rusage", "total");
	}

	@Test
	void registeredListsThePythonTasks() {
		assertThat(cluster.inspect().destination(node).registered().get(node)).contains("interop.py.add",
				"interop.py.sleep");
		assertThat(cluster.inspect().destination(node).registered("rate_limit", "max_retries").get(node))
			.contains("interop.py.add [max_retries=3]");
	}

	@Test
	void activeQueuesListTheQueueItConsumes() {
		List<QueueInfo> queues = cluster.inspect().destination(node).activeQueues().get(node);
		assertThat(queues).extracting(QueueInfo::name).containsExactly(queue);
		assertThat(queues.get(0).durable()).isTrue();
		assertThat(queues.get(0).exchange()).isEqualTo(queue);
	}

	@Test
	void confAndClockAnswer() {
		assertThat(cluster.inspect().destination(node).conf().get(node)).containsEntry("control_exchange", NAMESPACE);
		assertThat(cluster.inspect().destination(node).clock().get(node)).isPositive();
	}

	@Test
	void activeReservedAndQueryTaskShowTheTasksItHolds() {
		// Two pool processes: two tasks run, the third waits for a free one.
		List<String> ids = List.of(sleep(6), sleep(6), sleep(6));
		await().atMost(WAIT).untilAsserted(() -> {
			List<TaskInfo> active = cluster.inspect().destination(node).active().get(node);
			List<TaskInfo> reserved = cluster.inspect().destination(node).reserved().get(node);
			assertThat(active).hasSize(2);
			assertThat(reserved).hasSize(1);
			assertThat(active.get(0).name()).isEqualTo("interop.py.sleep");
			assertThat(active.get(0).args()).isEqualTo(List.of(6));
			assertThat(active.get(0).timeStart()).isNotNull();
			assertThat(reserved.get(0).timeStart()).isNull();
		});
		Map<String, QueriedTask> known = cluster.inspect().destination(node).queryTask(ids).get(node);
		assertThat(known).containsOnlyKeys(ids);
		assertThat(known.values()).extracting(QueriedTask::state)
			.containsExactlyInAnyOrder("active", "active", "reserved");
		List<TaskInfo> safe = cluster.inspect().destination(node).active(true).get(node);
		assertThat(safe).isNotEmpty().allSatisfy((task) -> assertThat(task.args()).isEqualTo("(6,)"));
		for (String id : ids) {
			assertThat(stack.client.result(id).get(WAIT)).isEqualTo(6);
		}
	}

	@Test
	void aRevokedCountdownTaskIsListedAndSkipped() {
		TaskResult task = stack.client
			.send(TaskRequest.builder("interop.py.add").args(List.of(1, 2)).countdown(COUNTDOWN).build());
		await().atMost(WAIT).untilAsserted(() -> {
			List<ScheduledTaskInfo> scheduled = cluster.inspect().destination(node).scheduled().get(node);
			assertThat(scheduled).extracting((entry) -> entry.request().id()).contains(task.getId());
		});
		Map<String, ControlReply> replies = cluster.control().destination(node).revoke(List.of(task.getId()));
		// Celery 5.2's text; 5.3+ writes the ids as a Python set.
		assertThat(replies.get(node).text()).isEqualTo("tasks " + task.getId() + " flagged as revoked");
		assertThat(cluster.inspect().destination(node).revoked().get(node)).contains(task.getId());
		await().atMost(WAIT).until(() -> task.getState() == TaskState.REVOKED);
	}

	@Test
	void taskClientRevokeReachesPythonWorkers() {
		stack.client.setClusterControl(cluster);
		try {
			TaskResult task = stack.client
				.send(TaskRequest.builder("interop.py.add").args(List.of(2, 2)).countdown(COUNTDOWN).build());
			// Before or after the task's message reaches it, the worker must not run it.
			task.revoke();
			await().atMost(WAIT).until(() -> task.getState() == TaskState.REVOKED);
			assertThat(cluster.inspect().destination(node).revoked().get(node)).contains(task.getId());
		}
		finally {
			stack.client.setClusterControl(null);
		}
	}

	@Test
	void rateAndTimeLimitsAreSetOnKnownTasksOnly() {
		assertThat(cluster.control().destination(node).rateLimit("interop.py.add", "10/m").get(node))
			.isEqualTo(new ControlReply("new rate limit set successfully", null));
		assertThat(cluster.control().destination(node).rateLimit("interop.py.add", null).get(node))
			.isEqualTo(new ControlReply("rate limit disabled successfully", null));
		assertThat(cluster.control().destination(node).rateLimit("interop.py.nosuch", "1/s").get(node))
			.isEqualTo(new ControlReply(null, "unknown task"));
		assertThat(cluster.control()
			.destination(node)
			.timeLimit("interop.py.sleep", Duration.ofSeconds(30), Duration.ofSeconds(60))
			.get(node)).isEqualTo(new ControlReply("time limits set successfully", null));
	}

	@Test
	void addAndCancelConsumerChangeTheQueuesItConsumes() {
		String extra = Infrastructure.unique("py-extra");
		stack.deleteOnClose(extra);
		assertThat(cluster.control().destination(node).addConsumer(extra).get(node))
			.isEqualTo(new ControlReply("add consumer " + extra, null));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(cluster.inspect().destination(node).activeQueues().get(node))
				.extracting(QueueInfo::name)
				.contains(extra));
		assertThat(cluster.control().destination(node).cancelConsumer(extra).get(node))
			.isEqualTo(new ControlReply("no longer consuming from " + extra, null));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(cluster.inspect().destination(node).activeQueues().get(node))
				.extracting(QueueInfo::name)
				.doesNotContain(extra));
	}

	@Test
	void eventsAreSwitchedOnAndOff() {
		ControlReply enabled = cluster.control().destination(node).enableEvents().get(node);
		ControlReply disabled = cluster.control().destination(node).disableEvents().get(node);
		assertThat(enabled.text()).as("enable_events").isEqualTo("task events enabled");
		assertThat(disabled.text()).as("disable_events").isEqualTo("task events disabled");
	}

	@Test
	void anUnknownCommandGetsCelerysKeyError() {
		assertThat(cluster.control().destination(node).call("nosuch", Map.of())).containsEntry(node,
				Map.of("error", "KeyError('nosuch')"));
	}

	private static String sleep(int seconds) {
		return stack.client.send("interop.py.sleep", seconds).getId();
	}

}
