package dev.taskqueue.control.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.control.internal.EventMessages;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventDispatcher} on the real broker: it declares the event exchange as Celery
 * does (topic, durable), worker events go out singly on their own routing keys, buffered
 * task events in {@code task.multi} arrays of at most 24, in the order they were sent,
 * transient, with the {@code hostname} header.
 */
class EventDispatcherIntegrationTests {

	private final CachingConnectionFactory rabbit = Infrastructure.rabbit();

	private final String exchange = Infrastructure.unique("events");

	private final String queue = Infrastructure.unique("events-in");

	private final RabbitAdmin admin = new RabbitAdmin(this.rabbit);

	@AfterEach
	void delete() {
		this.admin.deleteQueue(this.queue);
		this.admin.deleteExchange(this.exchange);
		this.rabbit.destroy();
	}

	@Test
	void workerEventsGoSinglyAndTaskEventsInOrderedArraysOfAtMost24() {
		EventDispatcher dispatcher = new EventDispatcher(this.rabbit);
		dispatcher.setExchange(this.exchange);
		// The exchange must exist before a queue can be bound; the dispatcher declares
		// it.
		dispatcher.send("w@h", "worker-online", Map.of("freq", 2.0));
		assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
		this.admin.declareQueue(new Queue(this.queue, false, false, false));
		this.admin.declareBinding(
				BindingBuilder.bind(new Queue(this.queue)).to(new TopicExchange(this.exchange, true, false)).with("#"));
		for (int i = 0; i < 60; i++) {
			Map<String, Object> fields = new LinkedHashMap<>();
			fields.put("uuid", "task-" + i);
			dispatcher.sendBuffered("w@h", "task-started", fields);
		}
		dispatcher.send("w@h", "worker-heartbeat", Map.of("freq", 2.0));
		assertThat(dispatcher.flush(Duration.ofSeconds(10))).isTrue();
		dispatcher.destroy();
		RabbitTemplate template = new RabbitTemplate(this.rabbit);
		List<String> uuids = new ArrayList<>();
		List<String> workerKeys = new ArrayList<>();
		Message message;
		while ((message = template.receive(this.queue, 2000)) != null) {
			String key = message.getMessageProperties().getReceivedRoutingKey();
			assertThat(message.getMessageProperties().getHeaders()).containsEntry("hostname", "w@h");
			assertThat(message.getMessageProperties().getReceivedDeliveryMode().toString()).isEqualTo("NON_PERSISTENT");
			List<Map<String, Object>> events = EventMessages.decode(message.getMessageProperties().getContentType(),
					message.getBody());
			if (key.startsWith("worker.")) {
				assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).startsWith("{");
				workerKeys.add(key);
			}
			else {
				assertThat(key).isEqualTo("task.multi");
				assertThat(events).hasSizeBetween(1, EventDispatcher.BUFFER_LIMIT);
				events.forEach((event) -> uuids.add((String) event.get("uuid")));
			}
		}
		assertThat(workerKeys).containsExactly("worker.heartbeat");
		List<String> sent = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			sent.add("task-" + i);
		}
		assertThat(uuids).isEqualTo(sent);
		assertThat(dispatcher.getDroppedCount()).isZero();
		assertThat(dispatcher.getPublishedCount()).isEqualTo(62);
	}

}
