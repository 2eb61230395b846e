package dev.taskqueue.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.internal.Route;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Sending: routing precedence, confirmed publishing and its failures, results turned off.
 */
class TaskClientIntegrationTests {

	private static final long RECEIVE_MILLIS = 5000;

	private Stack stack;

	@AfterEach
	void stop() {
		if (this.stack != null) {
			this.stack.close();
		}
	}

	private String receiveTask(String queue) {
		RabbitTemplate template = new RabbitTemplate(this.stack.rabbit);
		Message message = template.receive(queue, RECEIVE_MILLIS);
		assertThat(message).as("a message in queue " + queue).isNotNull();
		return String.valueOf(message.getMessageProperties().getHeaders().get("task"));
	}

	@Test
	void exactRouteSendsToItsQueue() {
		String divide = Infrastructure.unique("divide");
		this.stack = Stack.builder().route("worker.divide", Route.toQueue(divide)).build();
		this.stack.client.send("worker.divide", 1, 2);
		assertThat(receiveTask(divide)).isEqualTo("worker.divide");
	}

	@Test
	void globRouteSendsMatchingTasks() {
		String workerQueue = Infrastructure.unique("worker");
		this.stack = Stack.builder().route("worker.*", Route.toQueue(workerQueue)).build();
		this.stack.client.send("worker.multiply", 1, 2);
		assertThat(receiveTask(workerQueue)).isEqualTo("worker.multiply");
	}

	@Test
	void exactRouteWinsOverGlob() {
		String exact = Infrastructure.unique("exact");
		String glob = Infrastructure.unique("glob");
		this.stack = Stack.builder()
			.route("worker.*", Route.toQueue(glob))
			.route("worker.divide", Route.toQueue(exact))
			.build();
		this.stack.client.send("worker.divide", 1, 2);
		assertThat(receiveTask(exact)).isEqualTo("worker.divide");
	}

	@Test
	void sendTimeQueueOverridesRoutes() {
		String routed = Infrastructure.unique("routed");
		String override = Infrastructure.unique("override");
		this.stack = Stack.builder().route("worker.divide", Route.toQueue(routed)).deleteOnClose(override).build();
		this.stack.client.send(TaskRequest.builder("worker.divide").args(1, 2).queue(override).build());
		assertThat(receiveTask(override)).isEqualTo("worker.divide");
	}

	@Test
	void unroutedTaskGoesToTheDefaultQueue() {
		this.stack = Stack.builder().build();
		this.stack.client.send("anything.at.all");
		assertThat(receiveTask(this.stack.defaultQueue)).isEqualTo("anything.at.all");
	}

	@Test
	void callerChosenIdIsUsed() {
		this.stack = Stack.builder().build();
		TaskResult result = this.stack.client.send(TaskRequest.builder("t").taskId("my-own-id-42").build());
		assertThat(result.getId()).isEqualTo("my-own-id-42");
		Message message = new RabbitTemplate(this.stack.rabbit).receive(this.stack.defaultQueue, RECEIVE_MILLIS);
		assertThat(message.getMessageProperties().getCorrelationId()).isEqualTo("my-own-id-42");
	}

	@Test
	void extraHeadersAndPriorityTravel() {
		this.stack = Stack.builder().build();
		this.stack.client.send(TaskRequest.builder("t").header("tenant", "acme").priority(5).build());
		Message message = new RabbitTemplate(this.stack.rabbit).receive(this.stack.defaultQueue, RECEIVE_MILLIS);
		assertThat(message.getMessageProperties().getHeaders()).containsEntry("tenant", "acme");
		assertThat(message.getMessageProperties().getPriority()).isEqualTo(5);
	}

	@Test
	void celeryHeadersCannotBeOverriddenAsExtraHeaders() {
		this.stack = Stack.builder().build();
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.stack.client.send(TaskRequest.builder("t").header("retries", 3).build()))
			.withMessageContaining("'retries' is one of Celery's own");
	}

	@Test
	void messageNoQueueReceivesIsRefused() {
		this.stack = Stack.builder().build();
		String exchange = Infrastructure.unique("unbound");
		this.stack.admin().declareExchange(new DirectExchange(exchange, false, true));
		assertThatExceptionOfType(TaskPublishException.class)
			.isThrownBy(() -> this.stack.client
				.send(TaskRequest.builder("t").exchange(exchange).routingKey("nobody-listens").build()))
			.withMessageContaining("could not be routed to any queue")
			.withMessageContaining("NO_ROUTE");
		this.stack.admin().deleteExchange(exchange);
	}

	@Test
	void missingExchangeIsReportedAndThePublisherRecovers() {
		this.stack = Stack.builder().build();
		assertThatExceptionOfType(TaskPublishException.class)
			.isThrownBy(() -> this.stack.client
				.send(TaskRequest.builder("t").exchange(Infrastructure.unique("missing")).routingKey("x").build()))
			.withMessageContaining("NOT_FOUND");
		this.stack.client.send("after.failure");
		assertThat(receiveTask(this.stack.defaultQueue)).isEqualTo("after.failure");
	}

	@Test
	void brokerDownFailsWithinTheTimeout() {
		CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
		nowhere.setConnectionTimeout(2000);
		JsonMapper mapper = JsonMapper.builder().build();
		ConfirmedPublisher publisher = new ConfirmedPublisher(nowhere, Duration.ofSeconds(2), 1);
		DefaultTaskClient client = new DefaultTaskClient(new TaskMessageCodec(mapper, List.of("json")), publisher,
				new QueueDeclarer(nowhere), new TaskRouter(java.util.Map.of(), "celery"), ResultBackend.none(),
				(name) -> null);
		long start = System.nanoTime();
		assertThatExceptionOfType(TaskPublishException.class).isThrownBy(() -> client.send("t"))
			.satisfies((ex) -> assertThat(ex.getTaskId()).isNotNull());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
		nowhere.destroy();
	}

	@Test
	void withoutAResultBackendReadingAResultSaysSo() {
		this.stack = Stack.builder().resultsDisabled().build();
		TaskResult result = this.stack.client.send("t");
		assertThatIllegalStateException().isThrownBy(() -> result.get(Duration.ofSeconds(1)))
			.withMessageContaining("No result backend is configured (taskqueue.result.backend=none)");
		assertThatIllegalStateException().isThrownBy(result::getState)
			.withMessageContaining("No result backend is configured");
	}

	@Test
	void argumentsAreWrittenAsCeleryJson() {
		this.stack = Stack.builder().build();
		this.stack.client
			.send(TaskRequest.builder("t").args(1, "\u9664\u6cd5", null, true, 2.5).kwarg("k", List.of(1)).build());
		Message message = new RabbitTemplate(this.stack.rabbit).receive(this.stack.defaultQueue, RECEIVE_MILLIS);
		assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(
				"[[1, \"\\u9664\\u6cd5\", null, true, 2.5], {\"k\": [1]}, {\"callbacks\": null, \"errbacks\": null, \"chain\": null, \"chord\": null}]");
		assertThat(message.getMessageProperties().getHeaders())
			.containsEntry("argsrepr", "(1, '\u9664\u6cd5', None, True, 2.5)")
			.containsEntry("kwargsrepr", "{'k': [1]}");
	}

}
