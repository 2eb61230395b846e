package dev.taskqueue.control.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link EventMessages} against every event real Celery 5.6.3 and 5.2.6 workers and
 * clients published ({@code celery-vectors/events/}): each message parses into the events
 * it carries, with the fields Celery's {@code State} indexes; a {@code task.multi} array
 * into several; and an event Java builds with the same values is the same JSON, field for
 * field and in Celery's order.
 */
class EventMessagesVectorTests {

	static Stream<JsonNode> capturedEvents() {
		List<JsonNode> messages = new ArrayList<>();
		for (String file : List.of("task-sent", "task-received", "task-started", "task-succeeded", "task-failed",
				"task-retried", "task-revoked", "task-rejected", "task-multi-batch", "task-events-enabled-remotely",
				"worker-online", "worker-heartbeat", "worker-offline", "worker-elect")) {
			CeleryVectors.load("events/" + file + ".json").get("messages").forEach(messages::add);
		}
		for (String stream : List.of("stream-celery-5.6.3.jsonl", "stream-celery-5.2.6.jsonl")) {
			messages.addAll(lines("/celery-vectors/events/" + stream));
		}
		return messages.stream();
	}

	private static List<JsonNode> lines(String resource) {
		List<JsonNode> lines = new ArrayList<>();
		try (InputStream in = EventMessagesVectorTests.class.getResourceAsStream(resource);
				BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.isBlank()) {
					lines.add(CeleryVectors.mapper().readTree(line));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return lines;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("capturedEvents")
	void everyCapturedEventParsesWithTheFieldsReceiversIndex(JsonNode message) {
		byte[] body = message.get("body_text").asString().getBytes(StandardCharsets.UTF_8);
		List<Map<String, Object>> events = EventMessages.decode(message.at("/properties/content_type").asString(),
				body);
		JsonNode json = message.get("body_json");
		assertThat(events).hasSize(json.isArray() ? json.size() : 1);
		String routingKey = message.get("routing_key").asString();
		for (Map<String, Object> event : events) {
			assertThat(event).containsKeys("hostname", "utcoffset", "pid", "clock", "timestamp", "type");
			assertThat(event.get("hostname")).isEqualTo(message.at("/headers/hostname").asString());
			String type = (String) event.get("type");
			assertThat(routingKey)
				.isEqualTo(json.isArray() ? EventMessages.group(type) + ".multi" : EventMessages.routingKey(type));
			if (type.startsWith("task-")) {
				assertThat(event).containsKey("uuid");
			}
		}
	}

	@Test
	void aBuiltEventIsTheCapturedJsonFieldForFieldInCeleryOrder() {
		JsonNode captured = CeleryVectors.load("events/worker-online.json").at("/messages/0/body_json");
		Map<String, Object> fields = new LinkedHashMap<>();
		for (String name : List.of("freq", "active", "processed", "loadavg", "sw_ident", "sw_ver", "sw_sys")) {
			fields.put(name, CeleryVectors.mapper().convertValue(captured.get(name), Object.class));
		}
		Map<String, Object> event = EventMessages.event(captured.get("hostname").asString(),
				captured.get("utcoffset").asInt(), captured.get("pid").asLong(), captured.get("clock").asLong(),
				"worker-online", fields, captured.get("timestamp").asDouble());
		EncodedMessage encoded = EventMessages.encode(captured.get("hostname").asString(), event);
		String body = new String(encoded.body(), StandardCharsets.UTF_8);
		assertThat(CeleryVectors.mapper().readTree(body)).isEqualTo(captured);
		assertThat(body)
			.isEqualTo(CeleryVectors.load("events/worker-online.json").at("/messages/0/body_text").asString());
	}

	@Test
	void eventsAreTransientJsonWithTheHostnameHeader() {
		EncodedMessage encoded = EventMessages.encode("w@h", Map.of("type", "worker-heartbeat"));
		assertThat(encoded.properties().getDeliveryMode()).isEqualTo(1);
		assertThat(encoded.properties().getPriority()).isZero();
		assertThat(encoded.properties().getContentType()).isEqualTo("application/json");
		assertThat(encoded.properties().getContentEncoding()).isEqualTo("utf-8");
		assertThat(encoded.properties().getHeaders()).containsExactly(Map.entry("hostname", "w@h"));
	}

	@Test
	void routingKeysAndGroupsAreCeleryS() {
		assertThat(EventMessages.routingKey("task-succeeded")).isEqualTo("task.succeeded");
		assertThat(EventMessages.routingKey("worker-elect-ack")).isEqualTo("worker.elect.ack");
		assertThat(EventMessages.group("worker-elect-ack")).isEqualTo("worker");
		assertThat(EventMessages.group("task-progress")).isEqualTo("task");
	}

	@Test
	void utcoffsetIsNegatedFlooredHoursAsPythonComputesIt() {
		assertThat(EventMessages.utcoffset(ZoneOffset.UTC)).isZero();
		assertThat(EventMessages.utcoffset(ZoneOffset.ofHours(2))).isEqualTo(-2);
		assertThat(EventMessages.utcoffset(ZoneOffset.ofHours(-5))).isEqualTo(5);
		assertThat(EventMessages.utcoffset(ZoneOffset.ofHoursMinutes(5, 30))).isEqualTo(-6);
		assertThat(EventMessages.utcoffset(ZoneOffset.ofHoursMinutes(-3, -30))).isEqualTo(3);
	}

	@Test
	void whatIsNotAnEventIsRefusedSayingWhy() {
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> EventMessages.decode("application/json", "{not json".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("not JSON");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> EventMessages.decode(null, "[1]".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("not an event");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> EventMessages.decode(null, "{\"hostname\": \"x\"}".getBytes(StandardCharsets.UTF_8)))
			.withMessageContaining("needs a type");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> EventMessages.decode("application/x-msgpack", new byte[] { (byte) 0x80 }))
			.withMessageContaining("only JSON");
	}

}
