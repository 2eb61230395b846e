package dev.taskqueue.worker.internal;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.worker.DeadLetterHeaders;
import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.result.internal.ExceptionInfoCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.WorkerSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * The default {@link DeadLetterRecoverer}: republishes the message, body untouched and
 * persistent, to its queue's dead-letter queue {@code <queue>.dlq} (declared if needed)
 * with why, where from, by whom and when in its {@code x-taskqueue-*} headers, then
 * stores a {@code FAILURE} for its task when its id is readable, so whoever waits for the
 * result learns at once.
 */
public final class RepublishDeadLetterRecoverer implements DeadLetterRecoverer {

	private static final Log logger = LogFactory.getLog(RepublishDeadLetterRecoverer.class);

	private final ConfirmedPublisher publisher;

	private final QueueDeclarer declarer;

	private final ResultBackend backend;

	private final ResultMetaFactory metas;

	private final String worker;

	private final MessagePropertiesConverter propertiesConverter = new DefaultMessagePropertiesConverter();

	RepublishDeadLetterRecoverer(ConfirmedPublisher publisher, QueueDeclarer declarer, ResultBackend backend,
			ResultMetaFactory metas, WorkerSettings settings) {
		this.publisher = publisher;
		this.declarer = declarer;
		this.backend = backend;
		this.metas = metas;
		this.worker = settings.name();
	}

	@Override
	public void recover(Message message, Rejection rejection) {
		String queue = rejection.queue();
		String taskId = rejection.taskId();
		logger.error("Rejected message " + ((taskId != null) ? "for task " + taskId + " " : "") + "from queue '" + queue
				+ "': " + rejection.reason() + "; moved to '" + queue + QueueDeclarer.DLQ_SUFFIX + "'");
		MessageProperties props = message.getMessageProperties();
		props.setHeader(DeadLetterHeaders.REASON, rejection.reason());
		props.setHeader(DeadLetterHeaders.ORIGINAL_QUEUE, queue);
		props.setHeader(DeadLetterHeaders.WORKER, this.worker);
		props.setHeader(DeadLetterHeaders.REJECTED_AT, CeleryTime.formatAware(OffsetDateTime.now()));
		props.setExpiration(null);
		String dlq = this.declarer.declareDeadLetterQueue(queue);
		AMQP.BasicProperties out = this.propertiesConverter.fromMessageProperties(props, StandardCharsets.UTF_8.name());
		out = out.builder().deliveryMode(2).build();
		this.publisher.publish("", dlq, out, message.getBody());
		if (taskId != null && this.backend.isEnabled()) {
			this.backend.store(this.metas.rejected(taskId, rejection.taskName(), queue,
					ExceptionInfoCodec.encode(rejection.failure()), rejection.reason()));
		}
	}

}
