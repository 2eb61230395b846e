package dev.taskqueue.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.event.TaskSentEvent;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.support.CuttableProxy;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Sending many tasks at once: every one confirmed and delivered, and each failure
 * reported on its own.
 */
class TaskClientBulkIntegrationTests {

	private Stack stack;

	@AfterEach
	void stop() {
		if (this.stack != null) {
			this.stack.close();
		}
	}

	@Test
	void tenThousandTasksAreConfirmedInOrderAndAllConsumed() throws Exception {
		this.stack = Stack.builder().build();
		List<TaskRequest> requests = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			requests.add(TaskRequest.builder("tasks.add").args(List.of(i, i)).build());
		}
		List<TaskResult> results = this.stack.client.sendAll(requests);
		assertThat(results).hasSize(10_000);
		assertThat(this.stack.admin().getQueueInfo(this.stack.defaultQueue).getMessageCount()).isEqualTo(10_000);
		Set<String> consumed = ConcurrentHashMap.newKeySet();
		CountDownLatch all = new CountDownLatch(10_000);
		SimpleMessageListenerContainer consumer = new SimpleMessageListenerContainer(this.stack.rabbit);
		consumer.setQueueNames(this.stack.defaultQueue);
		consumer.setPrefetchCount(500);
		consumer.setAcknowledgeMode(AcknowledgeMode.AUTO);
		consumer.setMessageListener((Message message) -> {
			if (consumed.add(String.valueOf((Object) message.getMessageProperties().getHeader("id")))) {
				all.countDown();
			}
		});
		consumer.start();
		try {
			assertThat(all.await(60, TimeUnit.SECONDS)).as("all 10,000 tasks consumed").isTrue();
		}
		finally {
			consumer.stop();
		}
		assertThat(consumed).containsExactlyInAnyOrderElementsOf(results.stream().map(TaskResult::getId).toList());
	}

	@Test
	void handlesComeInRequestOrderWithTheIdsAsked() {
		this.stack = Stack.builder().build();
		List<TaskRequest> requests = List.of(TaskRequest.builder("t").taskId("first").build(),
				TaskRequest.builder("t").taskId("second").build(), TaskRequest.builder("t").taskId("third").build());
		assertThat(this.stack.client.sendAll(requests)).extracting(TaskResult::getId)
			.containsExactly("first", "second", "third");
		assertThat(this.stack.client.sendAll(List.of())).isEmpty();
	}

	@Test
	void refusedTasksFailOnTheirOwnAndTheOthersAreConfirmed() {
		this.stack = Stack.builder().build();
		String unbound = Infrastructure.unique("unbound");
		this.stack.admin().declareExchange(new DirectExchange(unbound, false, true));
		String missing = Infrastructure.unique("missing");
		List<TaskRequest> requests = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			TaskRequest.Builder request = TaskRequest.builder("t").taskId("ok-" + i);
			if (i == 50) {
				request.taskId("no-exchange").exchange(missing).routingKey("x");
			}
			else if (i == 150) {
				request.taskId("no-route").exchange(unbound).routingKey("nobody-listens");
			}
			else if (i == 250) {
				request.taskId("bad-header").header("task", "overridden");
			}
			requests.add(request.build());
		}
		try {
			assertThatExceptionOfType(BulkSendException.class).isThrownBy(() -> this.stack.client.sendAll(requests))
				.withMessageStartingWith("3 of 300 tasks were not sent; the first, #50 (t)")
				.satisfies((ex) -> {
					assertThat(ex.getFailures()).extracting(BulkSendException.Failure::index)
						.containsExactly(50, 150, 250);
					assertThat(ex.getFailures()).extracting(BulkSendException.Failure::taskId)
						.containsExactly("no-exchange", "no-route", "bad-header");
					assertThat(ex.getFailures().get(0).cause()).isInstanceOf(TaskPublishException.class)
						.hasMessageContaining("NOT_FOUND");
					assertThat(ex.getFailures().get(1).cause()).isInstanceOf(TaskPublishException.class)
						.hasMessageContaining("could not be routed to any queue")
						.hasMessageContaining("NO_ROUTE");
					assertThat(ex.getFailures().get(2).cause()).isInstanceOf(IllegalArgumentException.class)
						.hasMessageContaining("Header 'task' is one of Celery's own");
					assertThat(ex.getFailures().get(0).request()).isSameAs(requests.get(50));
					assertThat(ex.getSent()).hasSize(297);
					assertThat(ex.getResults()).hasSize(300);
					assertThat(ex.getResults().get(50)).isNull();
					assertThat(ex.getResults().get(51).getId()).isEqualTo("ok-51");
				});
			assertThat(this.stack.admin().getQueueInfo(this.stack.defaultQueue).getMessageCount()).isEqualTo(297);
		}
		finally {
			this.stack.admin().deleteExchange(unbound);
		}
	}

	@Test
	void aBrokerGoneMidwayFailsTheTasksNotConfirmedAndKeepsTheOthers() throws Exception {
		String queue = Infrastructure.unique("bulk-cut");
		RabbitAdmin admin = new RabbitAdmin(Infrastructure.rabbit());
		JsonMapper mapper = JsonMapper.builder().build();
		try (CuttableProxy proxy = new CuttableProxy(Infrastructure.RABBIT_HOST, Infrastructure.RABBIT_PORT)) {
			CachingConnectionFactory rabbit = new CachingConnectionFactory("127.0.0.1", proxy.port());
			rabbit.setUsername("guest");
			rabbit.setPassword("guest");
			rabbit.setConnectionTimeout(2000);
			ConfirmedPublisher publisher = new ConfirmedPublisher(rabbit, Duration.ofSeconds(5), 2);
			DefaultTaskClient client = new DefaultTaskClient(new TaskMessageCodec(mapper, List.of("json")), publisher,
					new QueueDeclarer(rabbit), new TaskRouter(Map.of(), queue), ResultBackend.none(), (name) -> null);
			// The first chunk of a bulk is confirmed before the next is published; the
			// broker goes away as the first confirmed task is reported.
			AtomicBoolean cut = new AtomicBoolean();
			client.setApplicationEventPublisher((event) -> {
				if (event instanceof TaskSentEvent && cut.compareAndSet(false, true)) {
					proxy.cut();
				}
			});
			List<TaskRequest> requests = new ArrayList<>();
			for (int i = 0; i < 15_000; i++) {
				requests.add(TaskRequest.builder("t").args(List.of(i)).build());
			}
			try {
				assertThatExceptionOfType(BulkSendException.class).isThrownBy(() -> client.sendAll(requests))
					.satisfies((ex) -> {
						assertThat(ex.getSent()).hasSize(10_000);
						assertThat(ex.getFailures()).hasSize(5_000);
						assertThat(ex.getFailures()).extracting(BulkSendException.Failure::index)
							.containsExactlyElementsOf(
									java.util.stream.IntStream.range(10_000, 15_000).boxed().toList());
						assertThat(ex.getFailures()).allSatisfy((failure) -> {
							assertThat(failure.cause()).isInstanceOf(TaskPublishException.class);
							assertThat(failure.taskId()).isNotNull();
						});
					});
			}
			finally {
				publisher.destroy();
				rabbit.destroy();
			}
			assertThat(admin.getQueueInfo(queue).getMessageCount()).isGreaterThanOrEqualTo(10_000);
		}
		finally {
			admin.deleteQueue(queue);
			((CachingConnectionFactory) admin.getRabbitTemplate().getConnectionFactory()).destroy();
		}
	}

}
