package dev.taskqueue.broker.internal;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.taskqueue.broker.ExchangeType;
import dev.taskqueue.broker.QueueType;
import dev.taskqueue.client.TaskRequest;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.interop.PythonCelery;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import dev.taskqueue.worker.QueueTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker consuming a quorum queue with a topic exchange binds it to Celery 5.5+'s
 * native delayed delivery as Celery's workers do, so a countdown task routed the way a
 * Celery 5.5+ client routes it (to {@code celery_delayed_27}, with the delay's bits and
 * the queue's routing key) comes back to it from the broker when due.
 * <p>
 * Debian's Celery 5.2.6 predates native delayed delivery: the Python side declares the
 * topology with kombu 5.5's arguments and sends the task along kombu 5.5's route with
 * kombu 5.2.4's primitives ({@code python/native_delayed_delivery.py}).
 */
class NativeDelayedDeliveryIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private Stack stack;

	private String queue;

	/** A quorum queue with a topic exchange that no worker consumes. */
	private final String unconsumed = Infrastructure.unique("delayed-unconsumed");

	@BeforeEach
	void start() {
		Stack.Builder builder = Stack.builder().tasks(new DelayedTasks());
		this.queue = builder.defaultQueue();
		QueueArguments quorumTopic = new QueueArguments(QueueType.QUORUM, null, null, ExchangeType.TOPIC);
		this.stack = builder.queueArguments(this.queue, quorumTopic)
			.queueArguments(this.unconsumed, quorumTopic)
			.deleteOnClose(this.unconsumed)
			.build();
		this.stack.declarer.setNativeDelayedDelivery(new NativeDelayedDelivery(this.stack.rabbit, QueueType.QUORUM));
		this.stack.startWorker(this.queue);
	}

	@AfterEach
	void stop() {
		this.stack.close();
	}

	@Test
	void topologyIsDeclaredWithCelerysArguments() {
		// The broker refuses a declaration with other arguments, so Celery's worker and
		// this one can each declare it, in either order.
		assertThat(python("declare", "quorum").stdout()).contains("declared");
		NativeDelayedDelivery again = new NativeDelayedDelivery(this.stack.rabbit, QueueType.QUORUM);
		assertThat(again.declareTopology()).isTrue();
	}

	@Test
	void countdownTaskSentAsCelery55SendsItReachesTheWorker() {
		String id = python("send", "delayed.echo", this.queue, "2", "[\"hello\"]").stdout().strip();

		TaskResult result = this.stack.client.result(id);

		assertThat(result.get(TIMEOUT)).isEqualTo("hello");
		assertThat(result.getState()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void messageRoutedThroughTheLevelsReachesTheWorkerWithoutAnEta() {
		// No eta header: only the broker's cascade delays it, and only the delivery
		// exchange's binding can bring it here.
		String id = UUID.randomUUID().toString();
		TaskMessage message = TaskMessage.builder(id, "delayed.echo").args(List.of("cascade")).build();
		EncodedMessage encoded = this.stack.codec.encode(message);
		OffsetDateTime sent = OffsetDateTime.now(ZoneOffset.UTC);

		this.stack.publisher.publish(NativeDelayedDelivery.levelName(27),
				NativeDelayedDelivery.routingKey(3, this.queue), encoded.properties(), encoded.body());

		TaskResult result = this.stack.client.result(id);
		assertThat(result.get(TIMEOUT)).isEqualTo("cascade");
		// The queues' TTLs hold it at least 1 + 2 seconds; nothing delivers it earlier.
		assertThat(result.getDateDone()).isAfterOrEqualTo(sent.plusSeconds(3).toInstant());
	}

	@Test
	void javaClientSendsCountdownTasksForAQuorumTopicQueueAsCelery55Does() {
		TaskResult sent = this.stack.client.send(TaskRequest.builder("delayed.echo")
			.args("later")
			.queue(this.unconsumed)
			.countdown(Duration.ofSeconds(2))
			.build());

		RabbitTemplate rabbit = new RabbitTemplate(this.stack.rabbit);
		Message delivered = rabbit.receive(this.unconsumed, TIMEOUT.toMillis());
		assertThat(delivered).isNotNull();
		// It came out of celery_delayed_delivery: its routing key spells 2 seconds.
		assertThat(delivered.getMessageProperties().getReceivedRoutingKey())
			.isEqualTo(NativeDelayedDelivery.routingKey(2, this.unconsumed));
		assertThat(delivered.getMessageProperties().getHeaders().get("id")).isEqualTo(sent.getId());
		assertThat(delivered.getMessageProperties().getHeaders().get("eta")).isNotNull();
	}

	@Test
	void javaClientSendsCountdownTasksForAQuorumTopicQueueThatAJavaWorkerRuns() {
		TaskResult sent = this.stack.client.send(TaskRequest.builder("delayed.echo")
			.args("later")
			.queue(this.queue)
			.countdown(Duration.ofSeconds(1))
			.build());

		assertThat(sent.get(TIMEOUT)).isEqualTo("later");
	}

	private static PythonCelery.ScriptResult python(String... args) {
		try {
			Path script = Path
				.of(NativeDelayedDeliveryIntegrationTests.class.getResource("/python/native_delayed_delivery.py")
					.toURI());
			return PythonCelery.run(script.toString(), List.of(args));
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class DelayedTasks {

		@QueueTask("delayed.echo")
		String echo(String text) {
			return text;
		}

	}

}
