package dev.taskqueue.control.internal.node;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.taskqueue.control.internal.ControlVectors.Captured;
import dev.taskqueue.control.internal.ControlVectors;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.LamportClock;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every request a Celery 5.6.3 client sent in the capture
 * ({@code celery-vectors/control/}), the reply {@link Commands} builds for a worker in
 * the captured worker's state has the keys and value types of the reply Celery 5.6.3
 * sent: objects the same keys, arrays elements of the same shape, numbers integral or
 * floating as Python's ints and floats, {@code null} where Celery has {@code None}.
 * <p>
 * Two differences are the JVM's, and checked as such: the {@code pool} of {@code stats}
 * has no {@code writes} (the prefork pool's statistics of writes to child processes), and
 * {@code memsample} answers the memory in use where the captured worker, without psutil,
 * answered {@code None}.
 */
class CommandReplyShapeTests {

	private final EventDispatcher dispatcher = new EventDispatcher(new NoBrokerFactory(), new LamportClock());

	@AfterEach
	void stopDispatcher() {
		this.dispatcher.destroy();
	}

	static Stream<Captured> celery563Calls() {
		List<Captured> calls = new ArrayList<>();
		for (Captured request : ControlVectors.messages("request")) {
			if (!request.file().startsWith("celery-5.2.6-") && reply(request) != null) {
				calls.add(request);
			}
		}
		assertThat(calls).hasSizeGreaterThan(40);
		return calls.stream();
	}

	/** The first reply to a request, from the file it is in. */
	static JsonNode reply(Captured request) {
		String ticket = request.message().at("/body_json/ticket").asString("");
		for (JsonNode message : ControlVectors.control(request.file()).get("messages")) {
			if ("reply".equals(message.path("role").asString())
					&& ticket.equals(message.at("/headers/ticket").asString())) {
				return message.get("body_json").values().iterator().next();
			}
		}
		return null;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("celery563Calls")
	void replyHasTheKeysAndTypesOfCelerysReply(Captured request) {
		Commands commands = commands();
		JsonNode body = request.message().get("body_json");
		Object ours = commands.handle(body.get("method").asString(),
				CeleryVectors.mapper().convertValue(body.get("arguments"), Map.class));
		JsonNode actual = CeleryVectors.mapper().valueToTree(ours);
		JsonNode expected = reply(request);
		if (request.file().equals("memsample.json")) {
			assertThat(expected.isNull()).isTrue();
			assertThat(actual.isString()).isTrue();
			return;
		}
		List<String> problems = new ArrayList<>();
		compare("", expected, actual, problems);
		assertThat(problems).as("%s: ours %s, Celery's %s", request.file(), actual, expected).isEmpty();
	}

	private Commands commands() {
		RevokedTasks revoked = new RevokedTasks();
		for (String file : List.of("revoked.json", "hello.json")) {
			JsonNode reply = CapturedWorker.reply(file);
			if (reply.isArray()) {
				reply.forEach((id) -> revoked.add(id.asString()));
			}
			else {
				revoked.merge(CeleryVectors.mapper().convertValue(reply.get("revoked"), Map.class));
			}
		}
		WorkerEvents events = new WorkerEvents(this.dispatcher, CapturedWorker.NODE, new CapturedWorker());
		events.setTaskEvents(true);
		return new Commands(CapturedWorker.NODE, new CapturedWorker(), revoked, events, this.dispatcher.getClock(),
				CeleryVersion.V5_6, PidboxNode.broker(new NoBrokerFactory()));
	}

	private static void compare(String path, JsonNode expected, JsonNode actual, List<String> problems) {
		if (!kind(expected).equals(kind(actual))) {
			problems.add(path + ": " + kind(actual) + " where Celery has " + kind(expected));
			return;
		}
		if (expected.isObject()) {
			Set<String> keys = new TreeSet<>(expected.propertyNames());
			Set<String> ours = new TreeSet<>(actual.propertyNames());
			if (path.equals("/pool")) {
				keys.remove("writes");
			}
			if (!dataKeys(path) && !keys.equals(ours)) {
				problems.add(path + ": keys " + ours + " where Celery has " + keys);
			}
			for (String key : keys) {
				if (actual.has(key)) {
					compare(path + "/" + key, expected.get(key), actual.get(key), problems);
				}
			}
			if (dataKeys(path) && !keys.isEmpty() && ours.isEmpty()) {
				problems.add(path + ": empty where Celery has " + keys);
			}
		}
		else if (expected.isArray() && !expected.isEmpty()) {
			if (actual.isEmpty()) {
				problems.add(path + ": empty where Celery has " + expected.size() + " items");
			}
			Iterator<JsonNode> mine = actual.iterator();
			int i = 0;
			while (mine.hasNext()) {
				compare(path + "[" + i + "]", expected.get(Math.min(i, expected.size() - 1)), mine.next(), problems);
				i++;
			}
		}
	}

	/** Objects whose keys are task names, ids or settings, not a fixed shape. */
	private static boolean dataKeys(String path) {
		return path.isEmpty() || path.equals("/total") || path.equals("/revoked");
	}

	private static String kind(JsonNode node) {
		if (node.isNull()) {
			return "null";
		}
		if (node.isBoolean()) {
			return "bool";
		}
		if (node.isIntegralNumber()) {
			return "int";
		}
		if (node.isNumber()) {
			return "float";
		}
		if (node.isString()) {
			return "str";
		}
		return node.isArray() ? "list" : "dict";
	}

}
