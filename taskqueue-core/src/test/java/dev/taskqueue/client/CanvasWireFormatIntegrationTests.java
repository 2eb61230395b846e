package dev.taskqueue.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.taskqueue.client.internal.CanvasPublisher;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canvases sent by the Java client produce the messages Celery 5.2.6's client produces
 * for the same canvas ({@code canvas-vectors/celery-5.2.6-canvases.json}): same tasks,
 * arguments, headers and embed, ids assigned in the same places. Ids differ, so both
 * sides are compared with every id replaced by its order of first appearance.
 */
class CanvasWireFormatIntegrationTests {

	private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonNode VECTORS = load();

	private Stack stack;

	private RabbitTemplate rabbit;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().build();
		this.rabbit = new RabbitTemplate(this.stack.rabbit);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	private static Signature add(Object... args) {
		return Signature.of("t.add", args);
	}

	private static Signature tsum() {
		return Signature.of("t.tsum");
	}

	@Test
	void chainWithAGroupStepIsSentAsAChainIntoAChord() {
		assertSameAsCelery("chain_group_task",
				() -> this.stack.client.chain(add(1, 1), Signature.group(add(10), add(20)), tsum()).send());
	}

	@Test
	void stepAfterAChordJoinsTheChordsBody() {
		assertSameAsCelery("chain_chord_task",
				() -> this.stack.client.chain(add(1, 1), Signature.chord(List.of(add(10), add(20)), tsum()), add(100))
					.send());
	}

	@Test
	void groupOfChainsSendsEachChainsFirstStep() {
		assertSameAsCelery("group_of_chains",
				() -> this.stack.client.group(Signature.chain(add(1, 1), add(2)), Signature.chain(add(3, 3), add(4)))
					.send());
	}

	@Test
	void chordOfChainsPutsTheBodyOnEachChainsLastStep() {
		assertSameAsCelery("chord_of_chains",
				() -> this.stack.client
					.chord(List.of(Signature.chain(add(1, 1), add(2)), Signature.chain(add(3, 3), add(4))), tsum())
					.send());
	}

	@Test
	void chainEndingInAGroupCarriesTheFrozenGroup() {
		// The client API refuses such a chain (it has no single result), but Python sends
		// it.
		this.stack.client.send("t.add", 0, 0);
		String replyTo = (String) ((Map<?, ?>) received().get(0).get("props")).get("reply_to");
		assertSameAsCelery("chain_ending_group",
				() -> new CanvasPublisher(this.stack.client, this.stack.backend, replyTo).apply(
						Signature.chain(add(1, 1), Signature.group(add(10), add(20))), List.of(), Map.of(), Map.of(),
						null));
	}

	@Test
	void chordWithAChainBody() {
		assertSameAsCelery("chord_chain_body",
				() -> this.stack.client.chord(List.of(add(1, 1), add(2, 2)), Signature.chain(tsum(), add(5))).send());
	}

	@Test
	void chainErrbacksGoToEveryStep() {
		assertSameAsCelery("chain_link_error",
				() -> this.stack.client.chain(add(1, 1), add(2)).linkError(Signature.of("t.err")).send());
	}

	@Test
	void immutableStepStaysImmutable() {
		assertSameAsCelery("chain_immutable",
				() -> this.stack.client.chain(add(1, 1), Signature.immutable("t.add", 5, 5), add(1)).send());
	}

	@Test
	void groupOptionsGoToEveryMember() {
		assertSameAsCelery("group_opts",
				() -> this.stack.client.group(add(1, 1), add(2, 2)).priority(3).queue(this.stack.defaultQueue).send());
	}

	@Test
	void chainOptionsGoToTheFirstStepAndTheTaskIdToTheLast() {
		assertSameAsCelery("chain_opts",
				() -> this.stack.client.chain(add(1, 1), add(2))
					.priority(3)
					.taskId("0b1c0b1c-0000-4000-8000-00000000000a")
					.send());
	}

	@Test
	void chordOptionsGoToTheHeaderAndTheBody() {
		assertSameAsCelery("chord_opts",
				() -> this.stack.client.chord(List.of(add(1, 1), add(2, 2)), tsum())
					.priority(3)
					.taskId("0b1c0b1c-0000-4000-8000-00000000000b")
					.send());
	}

	@Test
	void chordBodyErrbacksTravelWithTheBody() {
		assertSameAsCelery("chord_body_link_error",
				() -> this.stack.client
					.chord(List.of(add(1, 1), add(2, 2)), tsum().withLinkError(Signature.of("t.err")))
					.send());
	}

	@Test
	void chordSizeIsWrittenWhenTheChordIsSent() {
		this.stack.client.chord(List.of(add(1, 1), add(2, 2), add(3, 3)), tsum()).send();
		List<Map<String, Object>> messages = received();
		String group = (String) ((Map<?, ?>) messages.get(0).get("headers")).get("group");
		assertThat(new StringRedisTemplate(this.stack.redis).opsForValue().get("celery-taskset-meta-" + group + ".s"))
			.isEqualTo("3");
	}

	private void assertSameAsCelery(String name, Supplier<?> send) {
		send.get();
		List<Map<String, Object>> java = received();
		JsonNode celery = VECTORS.get("cases").get(name).get("messages");
		assertThat(canonical(MAPPER.writeValueAsString(java))).isEqualTo(canonical(celery.toString()));
	}

	private List<Map<String, Object>> received() {
		List<Map<String, Object>> messages = new ArrayList<>();
		Message message;
		while ((message = this.rabbit.receive(this.stack.defaultQueue, 1000)) != null) {
			Map<String, Object> headers = message.getMessageProperties().getHeaders();
			Map<String, Object> selected = new LinkedHashMap<>();
			for (String header : List.of("task", "id", "group", "group_index", "root_id", "parent_id", "argsrepr")) {
				selected.put(header, headers.get(header));
			}
			Map<String, Object> props = new LinkedHashMap<>();
			props.put("priority", message.getMessageProperties().getPriority());
			props.put("correlation_id", message.getMessageProperties().getCorrelationId());
			props.put("reply_to", message.getMessageProperties().getReplyTo());
			props.put("expiration", message.getMessageProperties().getExpiration());
			Map<String, Object> out = new LinkedHashMap<>();
			out.put("headers", selected);
			out.put("props", props);
			out.put("eta", headers.get("eta"));
			out.put("body", MAPPER.readValue(new String(message.getBody(), StandardCharsets.UTF_8), Object.class));
			messages.add(out);
		}
		return messages;
	}

	/**
	 * The JSON text with every UUID replaced by {@code ID<n>}, n its order of first
	 * appearance.
	 */
	private static String canonical(String json) {
		String normalized = MAPPER.readTree(json).toString();
		Map<String, String> ids = new LinkedHashMap<>();
		Matcher matcher = UUID.matcher(normalized);
		StringBuilder sb = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(sb, ids.computeIfAbsent(matcher.group(), (id) -> "ID" + (ids.size() + 1)));
		}
		matcher.appendTail(sb);
		return sb.toString();
	}

	private static JsonNode load() {
		try (InputStream in = CanvasWireFormatIntegrationTests.class
			.getResourceAsStream("/canvas-vectors/celery-5.2.6-canvases.json")) {
			return MAPPER.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
