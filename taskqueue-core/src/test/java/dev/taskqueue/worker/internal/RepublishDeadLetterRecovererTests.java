package dev.taskqueue.worker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.worker.DeadLetterHeaders;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.broker.internal.PublishException;
import dev.taskqueue.result.ExceptionInfo;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.worker.WorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The default dead-letter strategy: the message goes to {@code <queue>.dlq} with why in
 * its headers, and its task is stored as failed.
 */
class RepublishDeadLetterRecovererTests {

	private static final ExceptionInfo NOT_REGISTERED = new ExceptionInfo("NotRegistered", "celery.exceptions",
			List.of("no.such"), null);

	// Never connected: the publisher and declarer below do not reach the broker.
	private final CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);

	private final RecordingPublisher publisher = new RecordingPublisher(this.nowhere);

	private final List<String> declared = new ArrayList<>();

	private final QueueDeclarer declarer = new QueueDeclarer(this.nowhere) {

		@Override
		public String declareDeadLetterQueue(String queue) {
			RepublishDeadLetterRecovererTests.this.declared.add(queue);
			return queue + DLQ_SUFFIX;
		}

	};

	private final WorkerSettings settings = WorkerSettings.builder("w1@host", List.of("q")).build();

	@AfterEach
	void close() {
		this.nowhere.destroy();
	}

	@Test
	void theMessageGoesPersistentToItsDeadLetterQueueWithWhyWhereFromByWhomAndWhen() {
		RecordingResultBackend backend = new RecordingResultBackend(true);
		Message message = message("t1");
		message.getMessageProperties().setExpiration("60000");
		recoverer(backend).recover(message, new DeadLetterRecoverer.Rejection("q", "Task 'no.such' is not registered",
				"t1", "no.such", NOT_REGISTERED));
		assertThat(this.declared).containsExactly("q");
		assertThat(this.publisher.published).singleElement().satisfies((published) -> {
			assertThat(published.exchange()).isEmpty();
			assertThat(published.routingKey()).isEqualTo("q.dlq");
			assertThat(published.body()).isEqualTo(message.getBody());
			assertThat(published.properties().getDeliveryMode()).isEqualTo(2);
			assertThat(published.properties().getExpiration()).isNull();
			assertThat(published.properties().getHeaders())
				.containsEntry(DeadLetterHeaders.REASON, "Task 'no.such' is not registered")
				.containsEntry(DeadLetterHeaders.ORIGINAL_QUEUE, "q")
				.containsEntry(DeadLetterHeaders.WORKER, "w1@host")
				.containsKey(DeadLetterHeaders.REJECTED_AT)
				.containsEntry("id", "t1");
		});
	}

	@Test
	void theTaskItCarriedIsStoredAsFailedWithTheReason() {
		RecordingResultBackend backend = new RecordingResultBackend(true);
		recoverer(backend).recover(message("t1"), new DeadLetterRecoverer.Rejection("q",
				"Task 'no.such' is not registered", "t1", "no.such", NOT_REGISTERED));
		assertThat(backend.stored()).singleElement().satisfies((meta) -> {
			assertThat(meta.taskId()).isEqualTo("t1");
			assertThat(meta.status()).isEqualTo(TaskState.FAILURE);
			assertThat(meta.exception().type()).isEqualTo("NotRegistered");
			assertThat(meta.traceback()).isEqualTo("Message rejected by w1@host: Task 'no.such' is not registered\n");
			assertThat(meta.worker()).isEqualTo("w1@host");
			assertThat(meta.queue()).isEqualTo("q");
		});
	}

	@Test
	void nothingIsStoredForAMessageWithoutATaskId() {
		RecordingResultBackend backend = new RecordingResultBackend(true);
		recoverer(backend).recover(message(null),
				new DeadLetterRecoverer.Rejection("q", "not protocol v2", null, null, NOT_REGISTERED));
		assertThat(this.publisher.published).hasSize(1);
		assertThat(backend.stored()).isEmpty();
	}

	@Test
	void nothingIsStoredWithoutAResultBackend() {
		RecordingResultBackend backend = new RecordingResultBackend(false);
		recoverer(backend).recover(message("t1"),
				new DeadLetterRecoverer.Rejection("q", "not registered", "t1", "no.such", NOT_REGISTERED));
		assertThat(this.publisher.published).hasSize(1);
		assertThat(backend.stored()).isEmpty();
	}

	@Test
	void aMessageThatCannotBeRepublishedIsNotRecordedAsRejected() {
		RecordingResultBackend backend = new RecordingResultBackend(true);
		this.publisher.failing = true;
		assertThatExceptionOfType(PublishException.class).isThrownBy(() -> recoverer(backend).recover(message("t1"),
				new DeadLetterRecoverer.Rejection("q", "not registered", "t1", "no.such", NOT_REGISTERED)));
		assertThat(backend.stored()).isEmpty();
	}

	private RepublishDeadLetterRecoverer recoverer(RecordingResultBackend backend) {
		return new RepublishDeadLetterRecoverer(this.publisher, this.declarer, backend,
				new ResultMetaFactory(this.settings), this.settings);
	}

	private static Message message(@Nullable String id) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		if (id != null) {
			properties.setHeader("id", id);
		}
		properties.setDeliveryTag(5);
		return new Message("[[], {}, {}]".getBytes(StandardCharsets.UTF_8), properties);
	}

	private static final class RecordingPublisher extends ConfirmedPublisher {

		private final List<Published> published = new ArrayList<>();

		private boolean failing;

		RecordingPublisher(CachingConnectionFactory connectionFactory) {
			super(connectionFactory, Duration.ofSeconds(1), 1);
		}

		@Override
		public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
			if (this.failing) {
				throw new PublishException("broker down", null, null);
			}
			this.published.add(new Published(exchange, routingKey, properties, body));
		}

	}

	private record Published(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {

	}

}
