package dev.taskqueue.control.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import dev.taskqueue.control.internal.ControlVectors.Captured;
import dev.taskqueue.control.internal.PidboxMessages.PidboxReply;
import dev.taskqueue.control.internal.PidboxMessages.PidboxRequest;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PidboxMessages} against every remote-control request and reply real Celery 5.6.3
 * and 5.2.6 clients and workers exchanged ({@code celery-vectors/control/}): each parses
 * into what it says, and a request Java encodes from the parsed values is the captured
 * body byte for byte.
 */
class PidboxMessagesVectorTests {

	static Stream<Captured> requests() {
		return ControlVectors.messages("request").stream();
	}

	static Stream<Captured> replies() {
		return ControlVectors.messages("reply").stream();
	}

	private static Map<String, Object> headers(JsonNode message) {
		return CeleryVectors.mapper().convertValue(message.get("headers"), Map.class);
	}

	private static byte[] body(JsonNode message) {
		return message.get("body_text").asString().getBytes(StandardCharsets.UTF_8);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("requests")
	void everyCapturedRequestParsesAndEncodesBackToTheSameBody(Captured captured) {
		JsonNode message = captured.message();
		PidboxRequest request = PidboxMessages.decodeRequest(headers(message), "application/json", body(message));
		JsonNode json = message.get("body_json");
		assertThat(request.method()).isEqualTo(json.get("method").asString());
		assertThat((JsonNode) CeleryVectors.mapper().valueToTree(request.arguments())).isEqualTo(json.get("arguments"));
		assertThat(request.clock()).isEqualTo(message.at("/headers/clock").asLong());
		assertThat(request.isCall()).isEqualTo(json.has("ticket"));
		if (request.isCall()) {
			assertThat(request.ticket()).isEqualTo(json.get("ticket").asString());
			assertThat(request.replyTo().routingKey()).isEqualTo(json.at("/reply_to/routing_key").asString());
		}
		EncodedMessage encoded = PidboxMessages.encodeRequest(request);
		assertThat(new String(encoded.body(), StandardCharsets.UTF_8)).isEqualTo(message.get("body_text").asString());
		assertThat(encoded.properties().getDeliveryMode()).isEqualTo(message.at("/properties/delivery_mode").asInt());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replies")
	void everyCapturedReplyParsesIntoOneNodeAndItsTicket(Captured captured) {
		JsonNode message = captured.message();
		PidboxReply reply = PidboxMessages.decodeReply(headers(message), "application/json", body(message));
		assertThat(reply.ticket()).isEqualTo(message.at("/headers/ticket").asString());
		assertThat(reply.body()).hasSize(1);
		assertThat((JsonNode) CeleryVectors.mapper().valueToTree(reply.body())).isEqualTo(message.get("body_json"));
	}

	@Test
	void aReplyIsTransientWithTheTicketAndClockHeaders() {
		EncodedMessage reply = PidboxMessages.encodeReply("worker1@example", Map.of("ok", "pong"), "t-1", 4);
		assertThat(new String(reply.body(), StandardCharsets.UTF_8))
			.isEqualTo("{\"worker1@example\": {\"ok\": \"pong\"}}");
		assertThat(reply.properties().getHeaders()).containsEntry("ticket", "t-1").containsEntry("clock", 4);
		assertThat(reply.properties().getDeliveryMode()).isEqualTo(1);
	}

	@Test
	void queueNamesAndArgumentsAreKombuS() {
		assertThat(PidboxMessages.nodeQueue("worker1@example", "celery")).isEqualTo("worker1@example.celery.pidbox");
		assertThat(PidboxMessages.replyQueue("854f", "celery")).isEqualTo("854f.reply.celery.pidbox");
		assertThat(PidboxMessages.queueArguments()).containsEntry("x-message-ttl", 300000)
			.containsEntry("x-expires", 10000);
		JsonNode objects = ControlVectors.control("broker-objects.json");
		assertThat(objects.toString()).contains("worker1@example.celery.pidbox");
	}

	@Test
	void badRequestsAreRefusedSayingWhy() {
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> PidboxMessages.decodeRequest(Map.of(), "application/json", "{oops".getBytes()))
			.withMessageContaining("not JSON");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> PidboxMessages.decodeRequest(Map.of(), null, "[\"ping\"]".getBytes()))
			.withMessageContaining("must be a JSON object");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> PidboxMessages.decodeRequest(Map.of(), null, "{\"arguments\": {}}".getBytes()))
			.withMessageContaining("needs a method name");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> PidboxMessages.decodeRequest(Map.of(), null,
					"{\"method\": \"ping\", \"destination\": 5}".getBytes()))
			.withMessageContaining("must be a list of node names");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> PidboxMessages.decodeRequest(Map.of(), "application/x-python-serialize", new byte[1]))
			.withMessageContaining("task_serializer must be json");
		assertThatExceptionOfType(UnreadableMessageException.class)
			.isThrownBy(() -> PidboxMessages.decodeRequest(Map.of(), null, new byte[PidboxMessages.MAX_BODY_BYTES + 1]))
			.withMessageContaining("larger than");
	}

	@Test
	void aSingleDestinationStringIsOneNode() {
		PidboxRequest request = PidboxMessages.decodeRequest(Map.of(), null,
				"{\"method\": \"ping\", \"destination\": \"a@x\"}".getBytes());
		assertThat(request.destination()).containsExactly("a@x");
		assertThat(request.isCall()).isFalse();
	}

}
