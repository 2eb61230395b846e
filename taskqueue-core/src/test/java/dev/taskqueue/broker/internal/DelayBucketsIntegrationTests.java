package dev.taskqueue.broker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Due-second buckets on a real broker, with buckets of the test's own names and times.
 */
class DelayBucketsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final CachingConnectionFactory rabbit = Infrastructure.rabbit();

	private final RabbitAdmin admin = new RabbitAdmin(this.rabbit);

	private final ConfirmedPublisher publisher = new ConfirmedPublisher(this.rabbit, Duration.ofSeconds(10), 2);

	private final String exchange = Infrastructure.unique("at");

	private final String target = Infrastructure.unique("bucket-target");

	private long bucketSecond;

	@AfterEach
	void close() {
		this.admin.deleteQueue(DelayQueuesTestSupport.bucketName(this.exchange, this.bucketSecond));
		this.admin.deleteQueue(this.target);
		this.admin.deleteExchange(this.exchange);
		this.publisher.destroy();
		this.rabbit.destroy();
	}

	@Test
	void bucketHoldsTheMessageUntilItsDueSecondThenDeliversItAndExpiresOnceUnused() {
		DelayQueues delayQueues = DelayQueuesTestSupport.withBuckets(this.rabbit, this.publisher, this.exchange,
				Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(1));
		this.admin.declareQueue(new Queue(this.target, true, false, false));
		delayQueues.bindTarget(this.target);
		long due = System.currentTimeMillis() + 2_000;
		this.bucketSecond = due / 1000;
		long secondStart = this.bucketSecond * 1000;
		String bucket = DelayQueuesTestSupport.bucketName(this.exchange, this.bucketSecond);
		delayQueues.parkUntil(this.target, due, properties("a"), body());
		assertThat(this.admin.getQueueInfo(bucket).getMessageCount()).isEqualTo(1);
		// Declared with exactly these arguments: the same declaration is accepted,
		// another
		// x-expires is not.
		this.admin.declareQueue(new Queue(bucket, true, false, false, delayQueues.bucketArguments()));
		assertThat(delayQueues.bucketArguments()).containsEntry("x-expires", 4_000L)
			.containsEntry("x-dead-letter-exchange", "taskqueue.delay.deliver");
		assertThatExceptionOfType(AmqpException.class).isThrownBy(() -> this.admin.declareQueue(new Queue(bucket, true,
				false, false, Map.of("x-dead-letter-exchange", "taskqueue.delay.deliver", "x-expires", 6_000L))));
		RabbitTemplate template = new RabbitTemplate(this.rabbit);
		AtomicReference<Message> received = new AtomicReference<>();
		await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
			Message message = template.receive(this.target);
			if (message != null) {
				received.set(message);
				// Not before its due second (polled every 20 ms); the worker holds the
				// rest.
				assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(secondStart);
			}
			return message != null;
		});
		assertThat(received.get().getMessageProperties().getCorrelationId()).isEqualTo("a");
		// The broker dropped the expiration when it dead-lettered the message.
		assertThat(received.get().getMessageProperties().getExpiration()).isNull();
		assertThat(System.currentTimeMillis()).isLessThan(secondStart + 1_000);
		// Looking at the queue (a passive declaration) counts as using it: look less
		// often
		// than it expires.
		await().atMost(TIMEOUT)
			.pollDelay(Duration.ofSeconds(5))
			.pollInterval(Duration.ofSeconds(5))
			.until(() -> this.admin.getQueueInfo(bucket) == null);
	}

	@Test
	void parkInABucketDeletedBehindTheCacheFailsAndTheNextParkDeclaresItAgain() throws Exception {
		DelayQueues delayQueues = DelayQueuesTestSupport.withBuckets(this.rabbit, this.publisher, this.exchange,
				Duration.ofSeconds(60), Duration.ofSeconds(100), Duration.ofSeconds(30));
		this.admin.declareQueue(new Queue(this.target, true, false, false));
		long due = System.currentTimeMillis() + 20_000;
		this.bucketSecond = due / 1000;
		String bucket = DelayQueuesTestSupport.bucketName(this.exchange, this.bucketSecond);
		delayQueues.parkUntilAsync(this.target, due, properties("a"), body()).get();
		this.admin.deleteQueue(bucket);
		CompletableFuture<Void> lost = delayQueues.parkUntilAsync(this.target, due, properties("b"), body());
		assertThat(lost).failsWithin(TIMEOUT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(PublishException.class)
			.withMessageContaining("could not be routed");
		delayQueues.parkUntilAsync(this.target, due, properties("c"), body()).get();
		assertThat(this.admin.getQueueInfo(bucket).getMessageCount()).isEqualTo(1);
		assertThat(new RabbitTemplate(this.rabbit).receive(bucket).getMessageProperties().getCorrelationId())
			.isEqualTo("c");
	}

	private static AMQP.BasicProperties properties(String id) {
		return new AMQP.BasicProperties.Builder().correlationId(id).contentType("text/plain").build();
	}

	private static byte[] body() {
		return "parked".getBytes(StandardCharsets.UTF_8);
	}

}
