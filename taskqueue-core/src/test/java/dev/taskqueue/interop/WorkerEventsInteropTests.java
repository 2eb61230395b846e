package dev.taskqueue.interop;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.node.PidboxNode;
import dev.taskqueue.control.internal.node.RevokedTasks;
import dev.taskqueue.control.internal.node.WorkerEvents;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Celery's {@code celery.events.state.State}, fed by a receiver as Flower feeds it, and
 * {@code celery events --dump} see a Java worker through its events: online with Celery's
 * heartbeat fields, its tasks with their states, results and runtimes (and the client's
 * {@code task-sent}), offline at once after {@code worker-offline}, and offline
 * {@code 2 × freq} after its heartbeats stop without one, as after a SIGKILL.
 */
class WorkerEventsInteropTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(60);

	private final String namespace = Infrastructure.unique("ev-ctl");

	private final String exchange = Infrastructure.unique("ev");

	private final String node = Infrastructure.unique("java") + "@" + ProcessIdentity.hostname();

	private final Map<String, String> env = Map.of("INTEROP_CONTROL_EXCHANGE", this.namespace, "INTEROP_EVENT_EXCHANGE",
			this.exchange);

	private final String queue = Infrastructure.unique("ev-q");

	private Stack stack;

	private EventDispatcher dispatcher;

	private ModelWorker worker;

	private WorkerEvents events;

	private PidboxNode pidbox;

	@BeforeEach
	void startNode() {
		this.stack = Stack.builder().route("interop.java.*", Route.toQueue(this.queue)).build();
		this.dispatcher = new EventDispatcher(this.stack.rabbit);
		this.dispatcher.setExchange(this.exchange);
		this.worker = new ModelWorker(this.queue, "interop.java.add");
		this.events = new WorkerEvents(this.dispatcher, this.node, this.worker);
		this.events.setFrequency(Duration.ofSeconds(1));
		// The receiver broadcasts the heartbeat command when it starts, as Flower does.
		this.pidbox = new PidboxNode(this.stack.rabbit, this.node, this.worker, new RevokedTasks(), this.events);
		this.pidbox.setNamespace(this.namespace);
		this.pidbox.start();
	}

	@AfterEach
	void stopNode() {
		try {
			this.events.halt();
			this.pidbox.stop();
			this.dispatcher.destroy();
			this.stack.admin().deleteExchange(this.exchange);
			this.stack.admin().deleteExchange(this.namespace + ".pidbox");
			this.stack.admin().deleteExchange("reply." + this.namespace + ".pidbox");
		}
		finally {
			this.stack.close();
		}
	}

	private PythonCelery.Background state(String... options) {
		List<String> args = new java.util.ArrayList<>(List.of("cluster_state.py", "--node", this.node));
		args.addAll(List.of(options));
		PythonCelery.Background state = PythonCelery.background(args, this.env);
		await().atMost(WAIT).until(() -> state.output().contains("READY"));
		return state;
	}

	private static Map<String, Object> lastLine(String output) {
		String[] lines = output.strip().split("\n");
		return JSON.readValue(lines[lines.length - 1], new TypeReference<Map<String, Object>>() {
		});
	}

	@Test
	void stateSeesTheJavaWorkerOnlineWithItsTasksStatesAndRuntimes() {
		this.stack.client.setSentEventDispatcher(this.dispatcher);
		try (PythonCelery.Background state = state("--tasks", "3")) {
			this.events.setTaskEvents(true);
			this.events.start();
			TaskResult sent = this.stack.client.send("interop.java.add", 2, 3);
			TaskMessage added = TaskMessage.builder(sent.getId(), "interop.java.add").args(List.of(2, 3)).build();
			this.events.taskReceived(added, null, null);
			this.events.taskStarted(added.id());
			this.events.taskSucceeded(added.id(), 5, Duration.ofMillis(12));
			TaskMessage divided = TaskMessage.builder("div-" + Infrastructure.unique("t"), "interop.java.divide")
				.args(List.of(1, 0))
				.kwargs(Map.of("precise", true))
				.build();
			this.events.taskReceived(divided, null, null);
			this.events.taskStarted(divided.id());
			ArithmeticException failure = new ArithmeticException("/ by zero");
			this.events.taskFailed(divided.id(), failure, "java.lang.ArithmeticException: / by zero\n\tat ...");
			TaskMessage skipped = TaskMessage.builder("rev-" + Infrastructure.unique("t"), "interop.java.add").build();
			this.events.taskReceived(skipped, null, null);
			this.events.taskRevoked(skipped.id(), false, null, false);
			Map<String, Object> seen = lastLine(state.awaitExit(WAIT));
			Map<String, Object> javaWorker = map(map(seen.get("workers")).get(this.node));
			assertThat(javaWorker).containsEntry("alive", true)
				.containsEntry("sw_ident", WorkerEvents.SOFTWARE)
				.containsEntry("pid", (int) ProcessIdentity.pid());
			assertThat((List<?>) javaWorker.get("loadavg")).hasSize(3);
			List<?> tasks = (List<?>) seen.get("tasks");
			Map<String, Object> success = task(tasks, added.id());
			assertThat(success).containsEntry("state", "SUCCESS")
				.containsEntry("name", "interop.java.add")
				.containsEntry("args", "(2, 3)")
				.containsEntry("kwargs", "{}")
				.containsEntry("result", "5")
				.containsEntry("runtime", 0.012)
				.containsEntry("worker", this.node)
				.containsEntry("routing_key", this.queue);
			assertThat(success.get("sent")).as("task-sent from the client").isNotNull();
			assertThat(success.get("received")).isNotNull();
			assertThat(success.get("started")).isNotNull();
			assertThat(task(tasks, divided.id())).containsEntry("state", "FAILURE")
				.containsEntry("exception", "ArithmeticException('/ by zero')")
				.containsEntry("kwargs", "{'precise': True}");
			assertThat(task(tasks, skipped.id())).containsEntry("state", "REVOKED");
		}
		finally {
			this.stack.client.setSentEventDispatcher(null);
		}
	}

	@Test
	void stateJudgesTheWorkerOfflineTwoFreqAfterItsHeartbeatsStop() {
		try (PythonCelery.Background state = state("--offline")) {
			this.events.start();
			long published = this.dispatcher.getPublishedCount();
			await().atMost(WAIT).until(() -> this.dispatcher.getPublishedCount() >= published + 3);
			// As after a SIGKILL: no worker-offline, the heartbeats just stop.
			this.events.halt();
			Map<String, Object> seen = lastLine(state.awaitExit(WAIT));
			assertThat(seen).containsEntry("expires_after", 2.0);
			assertThat(((Number) seen.get("offline_after")).doubleValue()).isGreaterThanOrEqualTo(2.0);
			Map<String, Object> javaWorker = map(map(seen.get("workers")).get(this.node));
			assertThat(javaWorker).containsEntry("alive", false).containsEntry("freq", 1.0);
		}
	}

	@Test
	void stateJudgesTheWorkerOfflineAtOnceAfterWorkerOffline() {
		try (PythonCelery.Background state = state("--offline")) {
			this.events.start();
			long published = this.dispatcher.getPublishedCount();
			await().atMost(WAIT).until(() -> this.dispatcher.getPublishedCount() >= published + 2);
			this.events.stop();
			Map<String, Object> seen = lastLine(state.awaitExit(WAIT));
			// worker-offline clears the heartbeats: nothing to wait for.
			assertThat(seen.get("offline_after")).isNull();
			Map<String, Object> javaWorker = map(map(seen.get("workers")).get(this.node));
			assertThat(javaWorker).containsEntry("alive", false).containsEntry("heartbeats", 0);
		}
	}

	@Test
	void celeryEventsDumpPrintsTheJavaWorkersEvents() {
		try (PythonCelery.Background dump = PythonCelery
			.background(List.of("-m", "celery", "-A", "interop_app", "events", "--dump"), this.env)) {
			await().atMost(WAIT).until(() -> dump.output().contains("starting capture"));
			// The dumper's queue exists once it consumes; give it what Celery gives it.
			await().atMost(WAIT).until(() -> {
				this.events.heartbeatOnDemand();
				return dump.output().contains(this.node + " [");
			});
			this.events.setTaskEvents(true);
			TaskMessage message = TaskMessage.builder("dump-" + Infrastructure.unique("t"), "interop.java.add")
				.args(List.of(40, 2))
				.build();
			this.events.taskReceived(message, null, null);
			this.events.taskSucceeded(message.id(), 42, Duration.ofMillis(3));
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(dump.output()).contains(this.node + " [")
					.contains("heartbeat")
					.contains("task received: interop.java.add(" + message.id() + ") args=(40, 2) kwargs={}")
					.contains("task succeeded: interop.java.add(" + message.id() + ")")
					.contains("result=42"));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	private static Map<String, Object> task(List<?> tasks, String id) {
		return tasks.stream()
			.map(WorkerEventsInteropTests::map)
			.filter((task) -> id.equals(task.get("uuid")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("State has no task " + id + " in " + tasks));
	}

}
