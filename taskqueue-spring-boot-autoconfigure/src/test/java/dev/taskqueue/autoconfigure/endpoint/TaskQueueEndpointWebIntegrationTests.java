package dev.taskqueue.autoconfigure.endpoint;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.support.AbstractLocalHttpTests;
import dev.taskqueue.worker.QueueTask;
import dev.taskqueue.worker.TaskContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/taskqueue} over HTTP, with the web server started on a random port:
 * with Spring Boot's defaults for the endpoint (read-only, arguments masked), and with
 * every operation granted.
 */
class TaskQueueEndpointWebIntegrationTests extends AbstractLocalHttpTests {

	private final String queue = "tq-endpoint-" + UUID.randomUUID().toString().substring(0, 8);

	private final JsonMapper json = JsonMapper.shared();

	private static final String UNRESTRICTED = "management.endpoint.taskqueue.access=unrestricted";

	private ConfigurableApplicationContext context;

	private String base;

	/**
	 * Start the application with Spring Boot's defaults for the endpoint, and the given
	 * properties.
	 */
	private void start(String... properties) {
		List<String> all = new ArrayList<>(
				List.of("server.port=0", "spring.rabbitmq.host=127.0.0.1", "spring.data.redis.host=127.0.0.1",
						"taskqueue.default-queue=" + this.queue, "taskqueue.worker.concurrency=2",
						"taskqueue.worker.name=endpoint-worker", "taskqueue.routes.[endpoint.routed].queue=elsewhere",
						"taskqueue.tasks.[endpoint.square].rate-limit=10/s",
						"taskqueue.cluster.control-exchange=" + this.queue + "-ctl",
						"taskqueue.cluster.event-exchange=" + this.queue + "-ev",
						"management.endpoints.web.exposure.include=taskqueue,health",
						"management.endpoint.health.show-details=always"));
		all.addAll(List.of(properties));
		this.context = new SpringApplicationBuilder(App.class).web(WebApplicationType.SERVLET)
			.properties(all.toArray(String[]::new))
			.run();
		this.base = url(this.context, "/actuator/taskqueue");
	}

	/**
	 * Start the application with every operation granted and the arguments shown.
	 */
	private void startGranted() {
		start(UNRESTRICTED, "management.endpoint.taskqueue.show-values=always");
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1");
		RabbitAdmin admin = new RabbitAdmin(factory);
		for (String name : List.of(this.queue, this.queue + ".dlq", "elsewhere")) {
			admin.deleteQueue(name);
			admin.deleteExchange(name);
		}
		for (String exchange : List.of(this.queue + "-ctl.pidbox", "reply." + this.queue + "-ctl.pidbox",
				this.queue + "-ev")) {
			admin.deleteExchange(exchange);
		}
		factory.destroy();
	}

	@Test
	void readDescribesTasksWithTheirOptionsAndWhereTheyCameFrom() throws Exception {
		startGranted();
		JsonNode body = get();
		assertThat(body.get("name").asString()).isEqualTo("endpoint-worker");
		assertThat(body.get("running").asBoolean()).isTrue();
		JsonNode square = task(body, "endpoint.square");
		assertThat(square.at("/queue/value").asString()).isEqualTo(this.queue);
		assertThat(square.at("/queue/source").asString()).isEqualTo("default");
		assertThat(square.at("/rateLimit/value").asString()).isEqualTo("10/PT1S");
		assertThat(square.at("/rateLimit/source").asString()).isEqualTo("yml");
		assertThat(square.at("/maxRetries/value").asInt()).isEqualTo(5);
		assertThat(square.at("/maxRetries/source").asString()).isEqualTo("annotation");
		JsonNode routed = task(body, "endpoint.routed");
		assertThat(routed.at("/queue/value").asString()).isEqualTo("elsewhere");
		assertThat(routed.at("/queue/source").asString()).isEqualTo("yml");
		JsonNode queue = body.at("/queues/" + this.queue);
		assertThat(queue.get("consumers").asInt()).isEqualTo(2);
		assertThat(queue.get("messages").asLong()).isZero();
		assertThat(queue.get("deadLetters").asLong()).isZero();
	}

	@Test
	void readListsTheTasksRunningNowWithTheirArgumentsWhenShown() throws Exception {
		startGranted();
		Tasks tasks = this.context.getBean(Tasks.class);
		TaskResult result = this.context.getBean(TaskClient.class).send("endpoint.block", "hello");
		assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
		JsonNode active = get().get("activeTasks");
		tasks.release.countDown();
		assertThat(active).hasSize(1);
		assertThat(active.get(0).get("id").asString()).isEqualTo(result.getId());
		assertThat(active.get(0).get("name").asString()).isEqualTo("endpoint.block");
		assertThat(active.get(0).get("args").asString()).isEqualTo("[hello]");
		assertThat(active.get(0).get("startedAt").asString()).isNotEmpty();
		assertThat(active.get(0).has("runtimeMillis")).isTrue();
		assertThat(result.get(Duration.ofSeconds(10))).isEqualTo("hello");
	}

	@Test
	void postRedrivesDeadLettersWithoutTheRejectionHeaders() throws Exception {
		startGranted();
		String id = UUID.randomUUID().toString();
		deadLetter(TaskMessage.builder(id, "endpoint.headers").build());
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(get().at("/queues/" + this.queue + "/deadLetters").asLong()).isEqualTo(1));
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base + "/" + this.queue))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).get("messages").asLong()).isEqualTo(1);
		Object headers = this.context.getBean(TaskClient.class).result(id).get(Duration.ofSeconds(10));
		assertThat(headers.toString()).doesNotContain("x-taskqueue-reason", "x-taskqueue-original-queue");
		assertThat(get().at("/queues/" + this.queue + "/deadLetters").asLong()).isZero();
	}

	@Test
	void deletePurgesDeadLetters() throws Exception {
		startGranted();
		deadLetter(TaskMessage.builder(UUID.randomUUID().toString(), "endpoint.square").args(List.of(2)).build());
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base + "/" + this.queue)).DELETE());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).get("messages").asLong()).isEqualTo(1);
		assertThat(get().at("/queues/" + this.queue + "/deadLetters").asLong()).isZero();
	}

	@Test
	void deleteTaskRevokesAndTerminatesIt() throws Exception {
		startGranted();
		Tasks tasks = this.context.getBean(Tasks.class);
		TaskResult result = this.context.getBean(TaskClient.class).send("endpoint.block", "stop me");
		assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(this.base + "/tasks/" + result.getId() + "?terminate=true"))
					.DELETE());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.body());
		assertThat(body.get("id").asString()).isEqualTo(result.getId());
		assertThat(body.get("terminate").asBoolean()).isTrue();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> result.getState() == dev.taskqueue.result.TaskState.REVOKED);
		assertThat(get().get("activeTasks")).isEmpty();
	}

	@Test
	void postChangesATasksRateLimitOnTheWorkers() throws Exception {
		startGranted();
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(this.base + "/tasks/endpoint.square/rate-limit"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"limit\":\"20/s\"}")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).get("receivers").asLong()).isPositive();
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode square = task(get(), "endpoint.square");
			assertThat(square.at("/rateLimit/value").asString()).isEqualTo("20/PT1S");
			assertThat(square.at("/rateLimit/source").asString()).isEqualTo("runtime");
		});
		HttpResponse<String> invalid = send(
				HttpRequest.newBuilder(URI.create(this.base + "/tasks/endpoint.square/rate-limit"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"limit\":\"fast\"}")));
		assertThat(invalid.statusCode()).isEqualTo(400);
	}

	@Test
	void postChangesBurstAndScopeOfARateLimit() throws Exception {
		startGranted();
		HttpResponse<String> response = send(HttpRequest
			.newBuilder(URI.create(this.base + "/tasks/endpoint.square/rate-limit"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"limit\":\"30/m\",\"burst\":4,\"scope\":\"cluster\"}")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).get("rateLimit").asString())
			.isEqualTo("30/PT1M (burst 4, cluster)");
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode square = task(get(), "endpoint.square");
			assertThat(square.at("/rateLimit/value").asString()).isEqualTo("30/PT1M (burst 4, cluster)");
		});
		HttpResponse<String> invalid = send(
				HttpRequest.newBuilder(URI.create(this.base + "/tasks/endpoint.square/rate-limit"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"limit\":\"1/s\",\"scope\":\"galaxy\"}")));
		assertThat(invalid.statusCode()).isEqualTo(400);
	}

	@Test
	void writesRefuseQueuesTheWorkerDoesNotConsume() throws Exception {
		startGranted();
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(this.base + "/elsewhere")).POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void healthShowsTheTaskqueueContributor() throws Exception {
		startGranted();
		String health = send(HttpRequest.newBuilder(URI.create(this.base.replace("/taskqueue", "/health")))).body();
		JsonNode taskqueue = this.json.readTree(health).at("/components/taskqueue");
		assertThat(taskqueue.get("status").asString()).isEqualTo("UP");
		assertThat(taskqueue.at("/details/worker/queues/" + this.queue + "/consumers").asInt()).isEqualTo(2);
	}

	@Test
	void defaultAccessRefusesEveryOperationThatChangesSomething() throws Exception {
		start();
		String id = UUID.randomUUID().toString();
		deadLetter(TaskMessage.builder(id, "endpoint.headers").build());
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deadLetterCount() == 1);
		List<HttpResponse<String>> refused = List.of(
				send(HttpRequest.newBuilder(URI.create(this.base + "/" + this.queue))
					.POST(HttpRequest.BodyPublishers.noBody())),
				send(HttpRequest.newBuilder(URI.create(this.base + "/" + this.queue)).DELETE()),
				send(HttpRequest.newBuilder(URI.create(this.base + "/tasks/" + id + "?terminate=true")).DELETE()),
				send(HttpRequest.newBuilder(URI.create(this.base + "/tasks/endpoint.square/rate-limit"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"limit\":\"20/s\"}"))));
		// Operations that access does not allow are not mapped at all: 405 where the path
		// answers a read (/{queue} is also /workers), 404 elsewhere.
		assertThat(refused).extracting(HttpResponse::statusCode).containsExactly(405, 405, 404, 404);
		assertThat(deadLetterCount()).isOne();
		assertThat(this.context.getBean(ControlBus.class).isRevoked(id)).isFalse();
		assertThat(task(get(), "endpoint.square").at("/rateLimit/source").asString()).isEqualTo("yml");
	}

	@Test
	void argumentsOfRunningTasksAreMaskedByDefault() throws Exception {
		start();
		assertThat(readWhileATaskRuns("a secret")).doesNotContain("a secret")
			.satisfies((body) -> assertThat(this.json.readTree(body).at("/activeTasks/0/args").asString())
				.isEqualTo("******"))
			.satisfies((body) -> assertThat(this.json.readTree(body).at("/activeTasks/0/kwargs").asString())
				.isEqualTo("******"));
	}

	@Test
	void argumentsShownWhenAuthorizedAreMaskedForAnAnonymousUser() throws Exception {
		start("management.endpoint.taskqueue.show-values=when-authorized");
		String body = readWhileATaskRuns("a secret");
		assertThat(body).doesNotContain("a secret");
		assertThat(this.json.readTree(body).at("/activeTasks/0/args").asString()).isEqualTo("******");
	}

	/**
	 * Read the endpoint while a task runs with the given argument.
	 */
	private String readWhileATaskRuns(String argument) throws Exception {
		Tasks tasks = this.context.getBean(Tasks.class);
		TaskResult result = this.context.getBean(TaskClient.class).send("endpoint.block", argument);
		assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base)));
		tasks.release.countDown();
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(result.get(Duration.ofSeconds(10))).isEqualTo(argument);
		assertThat(this.json.readTree(response.body()).at("/activeTasks/0/id").asString()).isEqualTo(result.getId());
		return response.body();
	}

	private long deadLetterCount() throws Exception {
		try (Connection connection = this.context.getBean(ConnectionFactory.class).createConnection();
				Channel channel = connection.createChannel(false)) {
			return channel.messageCount(this.queue + ".dlq");
		}
	}

	private void deadLetter(TaskMessage message) throws Exception {
		EncodedMessage encoded = this.context.getBean(TaskMessageCodec.class).encode(message);
		Map<String, Object> headers = new HashMap<>(encoded.properties().getHeaders());
		headers.put("x-taskqueue-reason", "a reason");
		headers.put("x-taskqueue-original-queue", this.queue);
		AMQP.BasicProperties props = encoded.properties().builder().headers(headers).build();
		try (Connection connection = this.context.getBean(ConnectionFactory.class).createConnection();
				Channel channel = connection.createChannel(false)) {
			channel.basicPublish("", this.queue + ".dlq", props, encoded.body());
		}
	}

	private JsonNode task(JsonNode body, String name) {
		for (JsonNode task : body.get("tasks")) {
			if (task.get("name").asString().equals(name)) {
				return task;
			}
		}
		throw new AssertionError("No task " + name + " in " + body);
	}

	private JsonNode get() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.base)));
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

	static class Tasks {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@QueueTask(name = "endpoint.square", maxRetries = 5)
		int square(int x) {
			return x * x;
		}

		@QueueTask("endpoint.routed")
		void routed() {
		}

		@QueueTask("endpoint.headers")
		String headers(TaskContext task) {
			return task.getHeaders().keySet().toString();
		}

		@QueueTask("endpoint.block")
		String block(String text) throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return text;
		}

	}

}
