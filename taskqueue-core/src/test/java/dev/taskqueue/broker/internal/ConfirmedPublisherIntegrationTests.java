package dev.taskqueue.broker.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConfirmedPublisherIntegrationTests {

	private final CachingConnectionFactory rabbit = Infrastructure.rabbit();

	private final RabbitAdmin admin = new RabbitAdmin(this.rabbit);

	private final ConfirmedPublisher publisher = new ConfirmedPublisher(this.rabbit, Duration.ofSeconds(10), 2);

	private final String queue = Infrastructure.unique("publisher");

	@AfterEach
	void close() {
		this.admin.deleteQueue(this.queue);
		this.publisher.destroy();
		this.rabbit.destroy();
	}

	@Test
	void manyThreadsPublishAtOnceAndEveryMessageIsConfirmedAndQueued() throws Exception {
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		ExecutorService threads = Executors.newFixedThreadPool(16);
		try {
			List<Future<?>> sends = new ArrayList<>();
			for (int i = 0; i < 400; i++) {
				String id = "id-" + i;
				sends.add(threads.submit(() -> this.publisher.publish("", this.queue, properties(id), body())));
			}
			for (Future<?> send : sends) {
				send.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(400);
	}

	@Test
	void unroutableMessageOnTheDefaultExchangeFailsAndOnlyIt() throws Exception {
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		String nowhere = Infrastructure.unique("no-such-queue");
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> routable = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				String id = "ok-" + i;
				routable.add(threads.submit(() -> this.publisher.publish("", this.queue, properties(id), body())));
			}
			assertThatExceptionOfType(PublishException.class)
				.isThrownBy(() -> this.publisher.publish("", nowhere, properties("lost"), body()))
				.withMessageContaining("Task lost could not be routed to any queue")
				.withMessageContaining("NO_ROUTE")
				.satisfies((ex) -> assertThat(ex.getTaskId()).isEqualTo("lost"));
			for (Future<?> send : routable) {
				send.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(100);
	}

	@Test
	void messagesPublishedWithoutWaitingCompleteOnceConfirmedAndAnUnroutableOneFailsAlone() throws Exception {
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		String exchange = this.queue + "-x";
		this.admin.declareExchange(new DirectExchange(exchange, false, true));
		this.admin
			.declareBinding(BindingBuilder.bind(new Queue(this.queue)).to(new DirectExchange(exchange)).with("k"));
		try {
			List<CompletableFuture<Void>> confirmed = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				confirmed.add(this.publisher.publishAsync(exchange, "k", properties("async-" + i), body()));
			}
			CompletableFuture<Void> lost = this.publisher.publishAsync(exchange, "nowhere", properties("lost"), body());
			CompletableFuture.allOf(confirmed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			assertThat(lost).failsWithin(Duration.ofSeconds(30))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(PublishException.class)
				.withMessageContaining("Task lost could not be routed to any queue");
			assertThat(this.admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(200);
		}
		finally {
			this.admin.deleteExchange(exchange);
		}
	}

	@Test
	void aMissingExchangeFailsAMessagePublishedWithoutWaitingAndTheNextOneGoesOut() throws Exception {
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		CompletableFuture<Void> missing = this.publisher.publishAsync(Infrastructure.unique("tq-missing-x"), "k",
				properties("missing"), body());
		assertThat(missing).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(PublishException.class);
		this.publisher.publishAsync("", this.queue, properties("next"), body()).get(30, TimeUnit.SECONDS);
		assertThat(this.admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(1);
	}

	@Test
	void aBulkLargerThanTheConfirmWindowIsConfirmedAndQueuedInFull() {
		this.admin.declareQueue(new Queue(this.queue, true, false, false));
		int count = ConfirmedPublisher.MAX_IN_FLIGHT * 2 + 7;
		List<ConfirmedPublisher.Outgoing> messages = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			messages.add(new ConfirmedPublisher.Outgoing("", this.queue, properties("bulk-" + i), body()));
		}
		List<PublishException> outcomes = this.publisher.publishAll(messages);
		assertThat(outcomes).hasSize(count).containsOnlyNulls();
		assertThat(this.admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(count);
		// The channel goes back to the pool and serves the next bulk.
		assertThat(this.publisher.publishAll(messages.subList(0, 10))).containsOnlyNulls();
	}

	@Test
	void aBulkAfterDestroyFailsEveryMessage() {
		this.publisher.destroy();
		assertThat(this.publisher
			.publishAll(List.of(new ConfirmedPublisher.Outgoing("", this.queue, properties("a"), body()),
					new ConfirmedPublisher.Outgoing("", this.queue, properties("b"), body()))))
			.allSatisfy((failure) -> assertThat(failure).hasMessageContaining("closed"))
			.extracting(PublishException::getTaskId)
			.containsExactly("a", "b");
	}

	@Test
	void publishingAfterDestroyFails() {
		this.publisher.destroy();
		assertThatExceptionOfType(PublishException.class)
			.isThrownBy(() -> this.publisher.publish("", this.queue, properties("late"), body()))
			.withMessageContaining("closed");
	}

	private static AMQP.BasicProperties properties(String id) {
		return new AMQP.BasicProperties.Builder().correlationId(id)
			.deliveryMode(2)
			.contentType("application/json")
			.build();
	}

	private static byte[] body() {
		return "[[], {}, {}]".getBytes(StandardCharsets.UTF_8);
	}

}
