package dev.taskqueue.protocol.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.LongStringHelper;
import dev.taskqueue.support.CeleryVectors;
import dev.taskqueue.support.CeleryVectors.MessageVector;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Celery 5.3+ stamps ({@code stamped_headers} and {@code stamps} headers) are read from
 * received messages and written on sent ones as Celery 5.6 writes them.
 */
class TaskMessageStampsTests {

	private final TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));

	// A message Celery 5.6.3 published (beat's), with its raw content header.
	private final MessageVector celery56 = CeleryVectors.first("redbeat/messages");

	@Test
	void unstampedCelery56MessageHasNoStamps() {
		TaskMessage message = this.codec.decode(this.celery56.messageProperties(), this.celery56.body());

		assertThat(message.extraHeaders()).containsEntry("stamped_headers", null)
			.containsEntry("stamps", Map.of())
			.containsEntry("replaced_task_nesting", 0);
		assertThat(message.stampedHeaders()).isEmpty();
		assertThat(message.stamps()).isEmpty();
	}

	@Test
	void celery51MessageWithoutTheHeadersHasNoStamps() {
		MessageVector delay = CeleryVectors.first("delay");
		TaskMessage message = this.codec.decode(delay.messageProperties(), delay.body());

		assertThat(message.stamps()).isEmpty();
	}

	@Test
	void stampedMessageIsReadWithAmqpLongStringsInsideTheTableAndArray() {
		Map<String, Object> stamps = new LinkedHashMap<>();
		stamps.put("mystamp", LongStringHelper.asLongString("v1"));
		stamps.put("tags", List.of(LongStringHelper.asLongString("a"), LongStringHelper.asLongString("b")));
		TaskMessage message = decodeWithStamps(
				List.of(LongStringHelper.asLongString("mystamp"), LongStringHelper.asLongString("tags")), stamps);

		assertThat(message.stampedHeaders()).containsExactly("mystamp", "tags");
		assertThat(message.stamps()).containsExactly(Map.entry("mystamp", "v1"), Map.entry("tags", List.of("a", "b")));
	}

	@Test
	void stampNamedButWithoutValueIsNullAsCeleryReadsIt() {
		TaskMessage message = decodeWithStamps(List.of(LongStringHelper.asLongString("mystamp")), Map.of());

		assertThat(message.stamps()).containsEntry("mystamp", null).hasSize(1);
	}

	@Test
	void valuesNotNamedInStampedHeadersAreNotStamps() {
		TaskMessage message = decodeWithStamps(null, Map.of("mystamp", LongStringHelper.asLongString("v1")));

		assertThat(message.stamps()).isEmpty();
	}

	@Test
	void malformedStampHeadersAreIgnored() {
		List<Object> names = new ArrayList<>();
		names.add(7);
		names.add(null);
		names.add(LongStringHelper.asLongString("ok"));
		TaskMessage message = decodeWithStamps(names, null);
		assertThat(message.stamps()).containsEntry("ok", null).hasSize(1);

		MessageProperties properties = this.celery56.messageProperties();
		properties.setHeader("stamped_headers", 42);
		properties.setHeader("stamps", "not a table");
		TaskMessage odd = this.codec.decode(properties, this.celery56.body());
		assertThat(odd.stamps()).isEmpty();
	}

	@Test
	void stampsAreWrittenAfterCeleryHeadersAsCelery56Does() {
		TaskMessage message = TaskMessage.builder("id-1", "tasks.add")
			.extraHeader("replaced_task_nesting", 0)
			.stamps(Map.of("mystamp", "v1"))
			.build();

		Map<String, Object> headers = this.codec.encode(message).properties().getHeaders();

		assertThat(new ArrayList<>(headers.keySet())).endsWith("ignore_result", "replaced_task_nesting",
				"stamped_headers", "stamps");
		assertThat(headers.get("stamped_headers")).isEqualTo(List.of("mystamp"));
		assertThat(headers.get("stamps")).isEqualTo(Map.of("mystamp", "v1"));
	}

	@Test
	void emptyStampsRemoveTheHeaders() {
		TaskMessage message = TaskMessage.builder("id-1", "tasks.add")
			.stamps(Map.of("mystamp", "v1"))
			.stamps(Map.of())
			.build();

		assertThat(message.extraHeaders()).doesNotContainKeys("stamped_headers", "stamps");
	}

	private TaskMessage decodeWithStamps(Object names, Map<String, Object> stamps) {
		AMQP.BasicProperties raw = this.celery56.basicProperties();
		Map<String, Object> headers = new LinkedHashMap<>(raw.getHeaders());
		headers.put("stamped_headers", names);
		headers.put("stamps", stamps);
		AMQP.BasicProperties stamped = raw.builder().headers(headers).build();
		MessageProperties properties = new DefaultMessagePropertiesConverter().toMessageProperties(stamped,
				new Envelope(1L, false, "", "celery"), "UTF-8");
		return this.codec.decode(properties, this.celery56.body());
	}

}
