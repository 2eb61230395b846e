package dev.taskqueue.interop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import com.rabbitmq.client.AMQP;
import dev.taskqueue.control.ClusterControl;
import dev.taskqueue.control.ControlReply;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.node.PidboxNode;
import dev.taskqueue.control.internal.node.RequestInfo;
import dev.taskqueue.control.internal.node.RevokedTasks;
import dev.taskqueue.control.internal.node.WorkerEvents;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Celery 5.2.6's own CLI inspects and controls a Java {@link PidboxNode} beside a Python
 * worker on the same control exchange: {@code celery inspect} and {@code celery control}
 * get an answer from both, in the shapes the CLI prints, and the control commands reach
 * the Java worker. Messages that are not valid requests are answered with Celery's errors
 * or dropped with a log line, and the node keeps answering.
 */
class PidboxNodeInteropTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String NAMESPACE = Infrastructure.unique("node-ctl");

	private static final String EVENTS = Infrastructure.unique("node-ev");

	private static final String JAVA_NODE = Infrastructure.unique("java") + "@" + ProcessIdentity.hostname();

	private static final String ACTIVE_ID = "active-" + Infrastructure.unique("id");

	private static final Map<String, String> ENV = Map.of("INTEROP_CONTROL_EXCHANGE", NAMESPACE,
			"INTEROP_EVENT_EXCHANGE", EVENTS);

	private static String pythonQueue;

	private static PythonCelery.Worker python;

	private static CachingConnectionFactory rabbit;

	private static EventDispatcher dispatcher;

	private static ModelWorker worker;

	private static PidboxNode node;

	private static ClusterControl cluster;

	@BeforeAll
	static void startNodes() {
		pythonQueue = Infrastructure.unique("py");
		python = PythonCelery.startWorker(pythonQueue, ENV, List.of("--without-mingle", "--without-gossip"));
		rabbit = Infrastructure.rabbit();
		dispatcher = new EventDispatcher(rabbit);
		dispatcher.setExchange(EVENTS);
		worker = new ModelWorker(Infrastructure.unique("java-q"), "interop.java.add", "interop.java.greet");
		worker.active.add(new RequestInfo(ACTIVE_ID, "interop.java.add", List.of(2, 3), Map.of(), null, null,
				Instant.now(), false, "", worker.queues.get(0), 0, false, ProcessIdentity.pid(), null));
		worker.reserved.add(new RequestInfo("reserved-1", "interop.java.greet", List.of("Ada"), Map.of("x", 1), null,
				null, null, false, "", worker.queues.get(0), null, false, null, null));
		worker.scheduled
			.add(new RequestInfo("scheduled-1", "interop.java.add", List.of(1, 1), Map.of(), null, null, null, false,
					"", worker.queues.get(0), 0, false, null, OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)));
		worker.totals.put("interop.java.add", 3L);
		WorkerEvents events = new WorkerEvents(dispatcher, JAVA_NODE, worker);
		node = new PidboxNode(rabbit, JAVA_NODE, worker, new RevokedTasks(), events);
		node.setNamespace(NAMESPACE);
		node.setCeleryVersion(CeleryVersion.V5_2);
		node.start();
		cluster = new ClusterControl(rabbit);
		cluster.setNamespace(NAMESPACE);
		cluster.setTimeout(Duration.ofSeconds(10));
	}

	@AfterAll
	static void stopNodes() {
		try {
			node.stop();
			cluster.destroy();
			dispatcher.destroy();
			if (python != null) {
				python.close();
			}
			RabbitAdmin admin = new RabbitAdmin(rabbit);
			admin.deleteQueue(pythonQueue);
			admin.deleteExchange(pythonQueue);
			admin.deleteExchange(NAMESPACE + ".pidbox");
			admin.deleteExchange("reply." + NAMESPACE + ".pidbox");
			admin.deleteExchange(EVENTS);
		}
		finally {
			rabbit.destroy();
		}
	}

	private static String both() {
		return JAVA_NODE + "," + python.nodeName();
	}

	private static Map<String, Object> inspect(String... command) {
		return PythonCelery.inspect(ENV, 20, both(), command);
	}

	private static Map<String, Object> control(String... command) {
		return PythonCelery.control(ENV, 20, both(), command);
	}

	static Stream<Arguments> inspectCommands() {
		return Stream.of(Arguments.of("ping", Map.of("ok", "pong")), Arguments.of("active", null),
				Arguments.of("reserved", null), Arguments.of("scheduled", null), Arguments.of("registered", null),
				Arguments.of("active_queues", null), Arguments.of("revoked", null), Arguments.of("stats", null),
				Arguments.of("conf", null), Arguments.of("clock", null), Arguments.of("report", null));
	}

	@ParameterizedTest(name = "celery inspect {0}")
	@MethodSource("inspectCommands")
	void celeryInspectGetsAnAnswerFromTheJavaAndThePythonWorker(String command, Object javaReply) {
		Map<String, Object> replies = inspect(command);
		assertThat(replies).containsOnlyKeys(JAVA_NODE, python.nodeName());
		Object java = replies.get(JAVA_NODE);
		Object py = replies.get(python.nodeName());
		assertThat(java).as("the Java reply has the Python reply's JSON type").hasSameClassAs(py);
		if (javaReply != null) {
			assertThat(java).isEqualTo(javaReply);
		}
		switch (command) {
			case "active" -> assertThat(list(java)).singleElement()
				.satisfies((task) -> assertThat(map(task)).containsEntry("id", ACTIVE_ID)
					.containsEntry("args", List.of(2, 3))
					.containsEntry("hostname", JAVA_NODE));
			case "reserved" -> assertThat(list(java)).singleElement()
				.satisfies((task) -> assertThat(map(task)).containsEntry("id", "reserved-1"));
			case "scheduled" -> assertThat(list(java)).singleElement()
				.satisfies((entry) -> assertThat(map(entry)).containsKeys("eta", "priority", "request"));
			case "registered" -> assertThat(list(java)).containsExactly("interop.java.add", "interop.java.greet");
			case "active_queues" -> assertThat(list(java)).singleElement()
				.satisfies((queue) -> assertThat(map(queue)).containsEntry("name", worker.queues.get(0)));
			case "stats" -> assertThat(map(java)).containsKeys("total", "broker", "pool", "pid", "clock")
				.containsEntry("pid", (int) ProcessIdentity.pid());
			default -> {
			}
		}
	}

	@Test
	void celeryInspectQueryTaskFindsTheJavaTask() {
		Map<String, Object> replies = inspect("query_task", ACTIVE_ID);
		assertThat(map(replies.get(JAVA_NODE))).containsOnlyKeys(ACTIVE_ID);
		assertThat(map(replies.get(python.nodeName()))).isEmpty();
	}

	@Test
	void celeryStatusListsBothNodes() {
		String status = PythonCelery.cli(List.of("status", "-t", "20", "-d", both()), ENV).stdout();
		assertThat(status).contains(JAVA_NODE + ": OK").contains(python.nodeName() + ": OK").contains("2 nodes online");
	}

	@Test
	void celeryControlRateLimitReachesTheJavaWorker() {
		Map<String, Object> replies = control("rate_limit", "interop.java.add", "10/m");
		assertThat(replies).containsEntry(JAVA_NODE, Map.of("ok", "new rate limit set successfully"))
			.containsKey(python.nodeName());
		assertThat(worker.rateLimits.get("interop.java.add")).isEqualTo(RateLimit.parse("10/m"));
		assertThat(control("rate_limit", "interop.java.add", "ten")).containsEntry(JAVA_NODE,
				Map.of("error", "Invalid rate limit string: ValueError(\"could not convert string to float: 'ten'\")"));
	}

	@Test
	void celeryControlTimeLimitReachesTheJavaWorker() {
		assertThat(control("time_limit", "interop.java.greet", "10", "20")).containsEntry(JAVA_NODE,
				Map.of("ok", "time limits set successfully"));
		assertThat(worker.timeLimits).containsEntry("interop.java.greet", "PT10S/PT20S");
	}

	@Test
	void celeryControlRevokeIsRememberedAndReachesTheJavaWorker() {
		String id = Infrastructure.unique("revoked-id");
		assertThat(control("revoke", id)).containsEntry(JAVA_NODE, Map.of("ok", "tasks " + id + " flagged as revoked"))
			.containsEntry(python.nodeName(), Map.of("ok", "tasks " + id + " flagged as revoked"));
		assertThat(node.getRevoked().contains(id)).isTrue();
		assertThat(worker.revoked).contains(id);
		assertThat(list(inspect("revoked").get(JAVA_NODE))).contains(id);
	}

	@Test
	void celeryControlAddAndCancelConsumerChangeTheJavaQueues() {
		String queue = Infrastructure.unique("added");
		try {
			assertThat(control("add_consumer", queue)).containsEntry(JAVA_NODE, Map.of("ok", "add consumer " + queue))
				.containsEntry(python.nodeName(), Map.of("ok", "add consumer " + queue));
			assertThat(worker.queues).contains(queue);
			assertThat(control("cancel_consumer", queue)).containsEntry(JAVA_NODE,
					Map.of("ok", "no longer consuming from " + queue));
			assertThat(worker.queues).doesNotContain(queue);
		}
		finally {
			RabbitAdmin admin = new RabbitAdmin(rabbit);
			admin.deleteQueue(queue);
			admin.deleteExchange(queue);
		}
	}

	@Test
	void celeryControlEnableEventsSwitchesJavaTaskEventsOn() {
		Map<String, Object> replies = control("enable_events");
		assertThat(replies.get(JAVA_NODE)).isIn(Map.of("ok", "task events enabled"),
				Map.of("ok", "task events already enabled"));
		assertThat(map(replies.get(python.nodeName()))).containsKey("ok");
	}

	@Test
	void badRequestsGetCelerysErrorsOrAreDroppedAndTheNodeKeepsAnswering() {
		try (LogCapture log = LogCapture.of(PidboxNode.class)) {
			publishRaw("{this is not json".getBytes(StandardCharsets.UTF_8));
			publishRaw("[\"a list\"]".getBytes(StandardCharsets.UTF_8));
			Map<String, Object> toMissingExchange = new LinkedHashMap<>();
			toMissingExchange.put("method", "ping");
			toMissingExchange.put("arguments", Map.of());
			toMissingExchange.put("destination", List.of(JAVA_NODE));
			toMissingExchange.put("ticket", "t-missing");
			toMissingExchange.put("reply_to",
					Map.of("exchange", Infrastructure.unique("no-such-exchange"), "routing_key", "x"));
			publishRaw(JSON.writeValueAsBytes(toMissingExchange));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(log.messages(Level.WARN)).anyMatch((m) -> m.contains("not JSON"))
					.anyMatch((m) -> m.contains("must be a JSON object"))
					.anyMatch((m) -> m.contains("Could not reply to")));
		}
		assertThat(cluster.control().destination(JAVA_NODE).call("nosuch", Map.of())).containsEntry(JAVA_NODE,
				Map.of("error", "KeyError('nosuch')"));
		assertThat(cluster.control().destination(JAVA_NODE).call("rate_limit", Map.of("task_name", 5))).containsEntry(
				JAVA_NODE, Map.of("error", "TypeError(\"argument 'task_name' of rate_limit() must be str, not int\")"));
		List<String> huge = new ArrayList<>();
		for (int i = 0; i < 60_000; i++) {
			huge.add("id-" + i);
		}
		assertThat(cluster.control().destination(JAVA_NODE).revoke(huge).get(JAVA_NODE)).isEqualTo(new ControlReply(
				null, "ValueError(\"argument 'task_id' of revoke() has 60000 items, more than 50000\")"));
		assertThat(node.getRevoked().contains("id-1")).isFalse();
		// Not for this node: no reply at all.
		assertThat(cluster.control()
			.destination("someone-else@nowhere")
			.timeout(Duration.ofSeconds(2))
			.call("ping", Map.of())).isEmpty();
		assertThat(cluster.inspect().destination(JAVA_NODE).ping().get(JAVA_NODE).text()).isEqualTo("pong");
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
		new RabbitTemplate(rabbit).execute((channel) -> {
			channel.basicPublish(NAMESPACE + ".pidbox", "", properties, body);
			return null;
		});
	}

}
