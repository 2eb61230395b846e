package dev.taskqueue.interop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.Control;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.QueueInfo;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.WorkerContainer;
import dev.taskqueue.worker.internal.ClusterNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Java {@link WorkerContainer}, a node of the Celery cluster, beside a real Python
 * Celery 5.2.6 worker: Celery's own CLI inspects and controls both, the changes reach the
 * Java worker's tasks, revocations cross both ways (Python's {@code AsyncResult.revoke()}
 * stops a Java countdown task, {@code TaskClient.revoke} stops a Python one), and bad
 * control messages leave the worker serving tasks.
 */
class ClusterWorkerInteropTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String NAMESPACE = Infrastructure.unique("cw-ctl");

	private static final String EVENTS = Infrastructure.unique("cw-ev");

	private static final String JAVA_NODE = Infrastructure.unique("javaw") + "@" + ProcessIdentity.hostname();

	private static final Map<String, String> ENV = Map.of("INTEROP_CONTROL_EXCHANGE", NAMESPACE,
			"INTEROP_EVENT_EXCHANGE", EVENTS);

	private static final InteropTasks tasks = new InteropTasks();

	private static Stack stack;

	private static String queue;

	private static String pythonQueue;

	private static PythonCelery.Worker python;

	private static EventDispatcher dispatcher;

	private static ClusterControl cluster;

	private static ClusterNode node;

	private static WorkerContainer worker;

	@BeforeAll
	static void startWorkers() {
		pythonQueue = Infrastructure.unique("cw-py");
		python = PythonCelery.startWorker(pythonQueue, ENV, List.of("--without-mingle", "--without-gossip"));
		stack = Stack.builder().tasks(tasks).deleteOnClose(pythonQueue).build();
		queue = stack.defaultQueue;
		dispatcher = new EventDispatcher(stack.rabbit);
		dispatcher.setExchange(EVENTS);
		cluster = new ClusterControl(stack.rabbit);
		cluster.setNamespace(NAMESPACE);
		cluster.setTimeout(Duration.ofSeconds(5));
		stack.client.setClusterControl(cluster);
		node = new ClusterNode(stack.rabbit, JAVA_NODE, dispatcher);
		node.setNamespace(NAMESPACE);
		node.setCeleryVersion(CeleryVersion.V5_2);
		node.setHeartbeatInterval(Duration.ofSeconds(1));
		node.setMingle(cluster);
		worker = stack.startWorker(stack.settings(List.of(queue)), List.of(), null, (w) -> w.setClusterNode(node));
	}

	@AfterAll
	static void stopWorkers() {
		try {
			if (python != null) {
				python.close();
			}
			if (stack != null) {
				worker.stop();
				cluster.destroy();
				dispatcher.destroy();
				stack.admin().deleteExchange(NAMESPACE + ".pidbox");
				stack.admin().deleteExchange("reply." + NAMESPACE + ".pidbox");
				stack.admin().deleteExchange(EVENTS);
			}
		}
		finally {
			if (stack != null) {
				stack.close();
			}
		}
	}

	private static String both() {
		return JAVA_NODE + "," + python.nodeName();
	}

	private static Map<String, Object> inspect(String... command) {
		return PythonCelery.inspect(ENV, 10, both(), command);
	}

	private static Map<String, Object> control(String... command) {
		return controlOf(both(), command);
	}

	private static Map<String, Object> controlOf(String destination, String... command) {
		return PythonCelery.control(ENV, 10, destination, command);
	}

	static Stream<Arguments> inspectCommands() {
		return Stream.of(Arguments.of("ping"), Arguments.of("stats"), Arguments.of("active"), Arguments.of("reserved"),
				Arguments.of("scheduled"), Arguments.of("registered"), Arguments.of("active_queues"),
				Arguments.of("revoked"), Arguments.of("conf"));
	}

	@ParameterizedTest(name = "celery inspect {0}")
	@MethodSource("inspectCommands")
	void celeryInspectGetsAnAnswerFromTheJavaAndThePythonWorker(String command) {
		Map<String, Object> replies = inspect(command);
		assertThat(replies).containsOnlyKeys(JAVA_NODE, python.nodeName());
		Object java = replies.get(JAVA_NODE);
		assertThat(java).as("the Java reply has the Python reply's JSON type")
			.hasSameClassAs(replies.get(python.nodeName()));
		switch (command) {
			case "ping" -> assertThat(java).isEqualTo(Map.of("ok", "pong"));
			case "registered" -> assertThat(list(java)).contains("interop.java.add", "interop.java.greet");
			case "active_queues" -> assertThat(list(java)).singleElement()
				.satisfies((q) -> assertThat(map(q)).containsEntry("name", queue));
			case "stats" -> assertThat(map(java)).containsKeys("total", "broker", "pool", "prefetch_count", "clock")
				.containsEntry("pid", (int) ProcessIdentity.pid());
			case "conf" -> assertThat(map(java)).containsEntry("task_queues", List.of(queue));
			default -> {
			}
		}
	}

	@Test
	void celeryInspectStatsCountsTheTasksTheJavaWorkerRan() {
		PythonCelery.call("interop.java.add").queue(queue).args(1, 2).run();
		Map<String, Object> stats = map(inspect("stats").get(JAVA_NODE));
		assertThat(map(stats.get("total"))).containsKey("interop.java.add");
		assertThat(map(stats.get("pool"))).containsEntry("max-concurrency", 2);
	}

	@Test
	void celeryInspectScheduledAndQueryTaskSeeAJavaCountdownTask() {
		Map<String, Object> sent = PythonCelery.call("interop.java.add")
			.via("apply_async")
			.queue(queue)
			.args(4, 4)
			.countdown(8)
			.noWait()
			.run();
		String id = (String) sent.get("id");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(list(inspect("scheduled").get(JAVA_NODE)))
				.anySatisfy((entry) -> assertThat(map(map(entry).get("request"))).containsEntry("id", id)));
		assertThat(cluster.inspect().destination(JAVA_NODE).queryTask(id).get(JAVA_NODE)).containsKey(id);
		assertThat(PythonCelery.result(id, true)).containsEntry("state", "SUCCESS").containsEntry("result", 8);
	}

	@Test
	void celeryControlRateLimitAndTimeLimitChangeTheJavaTask() {
		assertThat(control("rate_limit", "interop.java.twice", "10/m")).containsEntry(JAVA_NODE,
				Map.of("ok", "new rate limit set successfully"));
		assertThat(worker.getRateLimit("interop.java.twice")).isEqualTo(RateLimit.parse("10/m"));
		assertThat(control("time_limit", "interop.java.twice", "10", "20")).containsEntry(JAVA_NODE,
				Map.of("ok", "time limits set successfully"));
		Map<String, Object> registered = map(cluster.inspect()
			.destination(JAVA_NODE)
			.call("registered", Map.of("taskinfoitems", List.of("rate_limit", "time_limit", "soft_time_limit"))));
		assertThat(list(registered.get(JAVA_NODE)))
			.contains("interop.java.twice [rate_limit=10/m time_limit=20 soft_time_limit=10]");
		assertThat(control("rate_limit", "interop.java.twice", "1000/s")).containsEntry(JAVA_NODE,
				Map.of("ok", "new rate limit set successfully"));
	}

	@Test
	void celeryControlRevokeIsRememberedByTheJavaWorker() {
		String id = Infrastructure.unique("revoked-id");
		assertThat(control("revoke", id)).containsEntry(JAVA_NODE, Map.of("ok", "tasks " + id + " flagged as revoked"))
			.containsEntry(python.nodeName(), Map.of("ok", "tasks " + id + " flagged as revoked"));
		assertThat(node.getRevoked().contains(id)).isTrue();
		assertThat(list(inspect("revoked").get(JAVA_NODE))).contains(id);
	}

	@Test
	void celeryControlAddAndCancelConsumerChangeTheJavaWorkersQueues() {
		String added = Infrastructure.unique("cw-added");
		stack.deleteOnClose(added);
		// The Java worker alone: the Python one would take the Java tasks sent there.
		assertThat(controlOf(JAVA_NODE, "add_consumer", added)).containsEntry(JAVA_NODE,
				Map.of("ok", "add consumer " + added));
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(Arrays.asList(worker.getListenerContainer().getQueueNames())).contains(added));
		Map<String, Object> ran = PythonCelery.call("interop.java.add").queue(added).args(20, 22).run();
		assertThat(ran).containsEntry("state", "SUCCESS").containsEntry("result", 42);
		assertThat(controlOf(JAVA_NODE, "cancel_consumer", added)).containsEntry(JAVA_NODE,
				Map.of("ok", "no longer consuming from " + added));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(Arrays.asList(worker.getListenerContainer().getQueueNames()))
				.doesNotContain(added));
	}

	@Test
	void theJavaWorkerAnswersOtherCommandsWhileAnAddedQueueWaitsForItsRunningTasks() throws Exception {
		String added = Infrastructure.unique("cw-added-busy");
		stack.deleteOnClose(added);
		InteropTasks.gate = new CountDownLatch(1);
		try {
			InteropTasks.gateEntered = new CountDownLatch(1);
			TaskResult running = stack.client.send(TaskRequest.builder("interop.java.gate").queue(queue).build());
			assertThat(InteropTasks.gateEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			// The container takes the queue once its consumers are free, which the
			// running task holds; the node answers meanwhile.
			Control java = cluster.control().destination(JAVA_NODE).timeout(Duration.ofSeconds(5));
			assertThat(java.addConsumer(added).get(JAVA_NODE))
				.isEqualTo(new ControlReply("add consumer " + added, null));
			String revoked = Infrastructure.unique("revoked-while-busy");
			assertThat(java.revoke(List.of(revoked)).get(JAVA_NODE))
				.isEqualTo(new ControlReply("tasks " + revoked + " flagged as revoked", null));
			assertThat(cluster.inspect().destination(JAVA_NODE).activeQueues().get(JAVA_NODE))
				.extracting(QueueInfo::name)
				.contains(added);
			assertThat(java.cancelConsumer(added).get(JAVA_NODE))
				.isEqualTo(new ControlReply("no longer consuming from " + added, null));
			InteropTasks.gate.countDown();
			assertThat(running.get(WAIT, Boolean.class)).isTrue();
			// Each change waits for the container's consumers to stop, up to the worker's
			// shutdown timeout when one is still starting from the change before.
			await().atMost(WAIT.multipliedBy(3))
				.untilAsserted(() -> assertThat(Arrays.asList(worker.getListenerContainer().getQueueNames()))
					.doesNotContain(added));
		}
		finally {
			InteropTasks.gate.countDown();
		}
	}

	@Test
	void celeryControlEnableEventsSwitchesTheJavaWorkersTaskEventsOn() {
		try {
			assertThat(map(control("enable_events").get(JAVA_NODE))).containsKey("ok");
			assertThat(node.getEvents().isTaskEvents()).isTrue();
		}
		finally {
			assertThat(map(control("disable_events").get(JAVA_NODE))).containsKey("ok");
		}
		assertThat(node.getEvents().isTaskEvents()).isFalse();
	}

	@Test
	void pythonRevokeOfAJavaCountdownTaskStopsItAndRevokedStays() {
		long before = tasks.calls.stream().filter("add"::equals).count();
		Map<String, Object> sent = PythonCelery.call("interop.java.add")
			.via("apply_async")
			.queue(queue)
			.args(7, 7)
			.countdown(3)
			.noWait()
			.run();
		String id = (String) sent.get("id");
		PythonCelery.run("revoke.py", List.of(id), ENV);
		await().atMost(WAIT).until(() -> node.getRevoked().contains(id));
		Map<String, Object> result = PythonCelery.result(id, true);
		assertThat(result).containsEntry("state", "REVOKED");
		assertThat(tasks.calls.stream().filter("add"::equals).count()).isEqualTo(before);
		assertThat(PythonCelery.result(id, false)).containsEntry("state", "REVOKED");
	}

	@Test
	void taskClientRevokeOfAPythonCountdownTaskIsHonouredByPython() {
		TaskResult sent = stack.client.send(TaskRequest.builder("interop.py.add")
			.args(1, 2)
			.queue(pythonQueue)
			.countdown(Duration.ofSeconds(3))
			.build());
		stack.client.revoke(sent.getId(), false);
		Map<String, Object> result = PythonCelery.result(sent.getId(), true);
		assertThat(result).containsEntry("state", "REVOKED");
	}

	@Test
	void celeryEventsDumpPrintsTheJavaWorkersHeartbeatsAndTaskEvents() {
		try (PythonCelery.Background dump = PythonCelery
			.background(List.of("-m", "celery", "-A", "interop_app", "events", "--dump"), ENV)) {
			// The worker's heartbeats come every second: the dumper sees one once it
			// consumes.
			await().atMost(WAIT).until(() -> dump.output().contains(JAVA_NODE + " ["));
			assertThat(map(control("enable_events").get(JAVA_NODE))).containsKey("ok");
			try {
				Map<String, Object> ran = PythonCelery.call("interop.java.add").queue(queue).args(40, 2).run();
				String id = (String) ran.get("id");
				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(dump.output()).contains("heartbeat")
						.contains("task received: interop.java.add(" + id + ") args=(40, 2) kwargs={}")
						.contains("task started: interop.java.add(" + id + ")")
						.contains("task succeeded: interop.java.add(" + id + ")"));
			}
			finally {
				control("disable_events");
			}
		}
	}

	@Test
	void badControlMessagesLeaveTheJavaWorkerServingTasks() {
		publishRaw("{this is not json".getBytes(StandardCharsets.UTF_8));
		Map<String, Object> toMissingExchange = new LinkedHashMap<>();
		toMissingExchange.put("method", "ping");
		toMissingExchange.put("arguments", Map.of());
		toMissingExchange.put("destination", List.of(JAVA_NODE));
		toMissingExchange.put("ticket", "t-missing");
		toMissingExchange.put("reply_to",
				Map.of("exchange", Infrastructure.unique("no-such-exchange"), "routing_key", "x"));
		publishRaw(JSON.writeValueAsBytes(toMissingExchange));
		assertThat(cluster.control().destination(JAVA_NODE).call("nosuch", Map.of())).containsEntry(JAVA_NODE,
				Map.of("error", "KeyError('nosuch')"));
		assertThat(cluster.control().destination(JAVA_NODE).call("rate_limit", Map.of("task_name", 5)))
			.containsKey(JAVA_NODE);
		List<String> huge = new ArrayList<>();
		for (int i = 0; i < 60_000; i++) {
			huge.add("id-" + i);
		}
		assertThat(cluster.control().destination(JAVA_NODE).revoke(huge).get(JAVA_NODE).error()).isNotNull();
		assertThat(cluster.control()
			.destination("someone-else@nowhere")
			.timeout(Duration.ofSeconds(2))
			.call("ping", Map.of())).isEmpty();
		assertThat(cluster.inspect().destination(JAVA_NODE).ping()).containsKey(JAVA_NODE);
		assertThat(PythonCelery.call("interop.java.add").queue(queue).args(2, 3).run()).containsEntry("state",
				"SUCCESS");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	private static void publishRaw(byte[] body) {
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.contentEncoding("utf-8")
			.deliveryMode(2)
			.build();
		new RabbitTemplate(stack.rabbit).execute((channel) -> {
			channel.basicPublish(NAMESPACE + ".pidbox", "", properties, body);
			return null;
		});
	}

}
