package dev.taskqueue.test.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.PublishException;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.protocol.internal.InvalidMessageException;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ExceptionInfoCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.worker.DeadLetterHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Takes the messages the client and the worker publish, instead of the broker: reads each
 * back with the codec and records it, gives a stubbed task its outcome, and in the inline
 * mode hands the message to the {@link InlineWorker}. Dead letters are kept aside, never
 * run.
 */
public final class TestPublisher extends ConfirmedPublisher {

	private static final Log logger = LogFactory.getLog(TestPublisher.class);

	private final TaskMessageCodec codec;

	private final DefaultTaskRecorder recorder;

	private final ResultBackend backend;

	private final Clock clock;

	private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

	private final List<SentMessage> deadLetters = new java.util.concurrent.CopyOnWriteArrayList<>();

	private volatile @Nullable InlineWorker worker;

	/**
	 * Create a publisher that publishes nothing.
	 * @param connectionFactory the application's connection factory, never used
	 * @param codec reads the messages back
	 * @param recorder records them
	 * @param backend where stubbed outcomes are stored
	 * @param clock the time stubbed outcomes are stored at
	 */
	public TestPublisher(ConnectionFactory connectionFactory, TaskMessageCodec codec, DefaultTaskRecorder recorder,
			ResultBackend backend, Clock clock) {
		super(connectionFactory, java.time.Duration.ofSeconds(1), 1);
		this.codec = codec;
		this.recorder = recorder;
		this.backend = backend;
		this.clock = clock;
	}

	/**
	 * Run what is published on this worker (the inline mode).
	 * @param worker the in-process worker
	 */
	public void setInlineWorker(@Nullable InlineWorker worker) {
		this.worker = worker;
	}

	@Override
	public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		accept(exchange, routingKey, properties, body);
	}

	@Override
	public void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			@Nullable Runnable written) {
		accept(exchange, routingKey, properties, body);
		if (written != null) {
			written.run();
		}
	}

	@Override
	public Bulk openBulk() {
		return new Bulk() {

			private final List<@Nullable PublishException> outcomes = new ArrayList<>();

			@Override
			public void add(Outgoing message) {
				accept(message.exchange(), message.routingKey(), message.properties(), message.body());
				this.outcomes.add(null);
			}

			@Override
			public List<@Nullable PublishException> finish() {
				return this.outcomes;
			}

		};
	}

	@Override
	public void destroy() {
	}

	/**
	 * Return the messages a worker dead-lettered (the task was not registered, the
	 * message could not be read...), with the reason in their headers.
	 * @return the dead letters
	 */
	public List<SentMessage> getDeadLetters() {
		return List.copyOf(this.deadLetters);
	}

	void clear() {
		this.deadLetters.clear();
	}

	private void accept(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
		MessageProperties props = this.converter.toMessageProperties(properties, null, StandardCharsets.UTF_8.name());
		props.setReceivedExchange(exchange);
		props.setReceivedRoutingKey(routingKey);
		props.setConsumerQueue(routingKey);
		Map<String, @Nullable Object> headers = props.getHeaders();
		if (headers.containsKey(DeadLetterHeaders.REASON)) {
			logger.info("Dead letter on '" + routingKey + "': " + headers.get(DeadLetterHeaders.REASON));
			this.deadLetters.add(new SentMessage(exchange, routingKey, props, body));
			return;
		}
		TaskMessage task;
		try {
			task = this.codec.decode(props, body);
		}
		catch (InvalidMessageException ex) {
			throw new IllegalStateException("Published a message that is not a task: " + ex.getMessage(), ex);
		}
		this.recorder.record(SentTasks.of(task, exchange, routingKey, String.valueOf(props.getContentType())));
		DefaultTaskRecorder.Stub stub = this.recorder.stubOf(task.task());
		if (stub != null) {
			this.backend.store(stubbed(task, routingKey, stub));
			return;
		}
		InlineWorker worker = this.worker;
		if (worker != null) {
			worker.deliver(new SentMessage(exchange, routingKey, props, body));
		}
	}

	private ResultMeta stubbed(TaskMessage task, String queue, DefaultTaskRecorder.Stub stub) {
		boolean failed = stub.failure() != null;
		Object result = (stub.failure() != null) ? ExceptionInfoCodec.encode(stub.failure()) : stub.result();
		return new ResultMeta(task.id(), failed ? TaskState.FAILURE : TaskState.SUCCESS, result, null, List.of(),
				CeleryTime.formatNaiveUtc(this.clock.instant()), task.group(), task.parentId(), task.task(),
				task.args(), task.kwargs(), "stub", task.retries(), queue);
	}

	/**
	 * A message as it was published.
	 *
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param properties its properties and headers
	 * @param body its body
	 */
	public record SentMessage(String exchange, String routingKey, MessageProperties properties, byte[] body) {

	}

}
