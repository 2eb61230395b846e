package dev.taskqueue.autoconfigure.endpoint;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.taskqueue.autoconfigure.TestQueues;
import dev.taskqueue.control.WorkerDirectory;
import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.control.internal.ControlBus;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.support.AbstractLocalHttpTests;
import dev.taskqueue.worker.QueueTask;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
 * The cluster's workers on {@code /actuator/taskqueue} over HTTP: two workers in two
 * applications, and a dispatcher-only application that lists them. The applications are
 * started once for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskQueueWorkersWebIntegrationTests extends AbstractLocalHttpTests {

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	// The key prefix keeps these workers apart from every other test's.
	private final String keyPrefix = "tq-workers-" + this.id + ":";

	private final String queueA = "tq-workers-a-" + this.id;

	private final String queueB = "tq-workers-b-" + this.id;

	private final String controlExchange = "tq-workers-ctl-" + this.id;

	private final String eventExchange = "tq-workers-ev-" + this.id;

	private final JsonMapper json = JsonMapper.shared();

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private Instant before;

	private ConfigurableApplicationContext workerA;

	private ConfigurableApplicationContext dispatcher;

	@BeforeAll
	void start() {
		this.before = Instant.now();
		this.workerA = run(WebApplicationType.SERVLET, "taskqueue.worker.name=workers-a",
				"taskqueue.worker.queues=" + this.queueA, "taskqueue.worker.concurrency=2");
		run(WebApplicationType.NONE, "taskqueue.worker.name=workers-b",
				"taskqueue.worker.queues=" + this.queueB + "," + this.queueA, "taskqueue.worker.concurrency=1");
		// The workers read at the endpoint's default access; the dispatcher grants it
		// all.
		this.dispatcher = run(WebApplicationType.SERVLET, "taskqueue.worker.enabled=false",
				"management.endpoint.taskqueue.access=unrestricted");
	}

	@AfterAll
	void stop() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		TestQueues.delete(this.queueA);
		TestQueues.delete(this.queueB);
		TestQueues.deleteExchanges(this.controlExchange + ".pidbox", "reply." + this.controlExchange + ".pidbox",
				this.eventExchange);
	}

	@Test
	void workersViewListsBothWorkersWithTheirFields() throws Exception {
		JsonNode workers = awaitWorkers(this.dispatcher, 2);
		JsonNode a = workers.get(0);
		JsonNode b = workers.get(1);
		assertThat(a.get("name").asString()).isEqualTo("workers-a");
		assertThat(a.get("host").asString()).isEqualTo(ProcessIdentity.hostname());
		assertThat(a.get("pid").asLong()).isEqualTo(ProcessIdentity.pid());
		assertThat(a.get("queues")).extracting(JsonNode::asString).containsExactly(this.queueA);
		assertThat(a.get("concurrency").asInt()).isEqualTo(2);
		assertThat(a.get("inFlight").asInt()).isZero();
		assertThat(Instant.parse(a.get("startedAt").asString())).isAfterOrEqualTo(this.before);
		assertThat(Instant.parse(a.get("lastHeartbeat").asString()))
			.isAfterOrEqualTo(Instant.parse(a.get("startedAt").asString()));
		assertThat(b.get("name").asString()).isEqualTo("workers-b");
		assertThat(b.get("queues")).extracting(JsonNode::asString).containsExactly(this.queueB, this.queueA);
		assertThat(b.get("concurrency").asInt()).isEqualTo(1);
	}

	@Test
	void workerReadOperationAlsoListsTheClusterWorkers() throws Exception {
		awaitWorkers(this.workerA, 2);
		JsonNode body = get(this.workerA, "");
		assertThat(body.get("name").asString()).isEqualTo("workers-a");
		assertThat(body.get("workers")).extracting((w) -> w.get("name").asString())
			.containsExactly("workers-a", "workers-b");
	}

	@Test
	void dispatcherOnlyApplicationDescribesNoWorkerOfItsOwn() throws Exception {
		awaitWorkers(this.dispatcher, 2);
		JsonNode body = get(this.dispatcher, "");
		assertThat(body.has("name")).isFalse();
		assertThat(body.has("tasks")).isFalse();
		assertThat(body.get("workers")).hasSize(2);
		HttpResponse<String> redrive = send(
				HttpRequest.newBuilder(URI.create(base(this.dispatcher) + "/" + this.queueA))
					.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(redrive.statusCode()).isEqualTo(400);
	}

	@Test
	void dispatcherOnlyApplicationRevokesTasksOnTheCluster() throws Exception {
		String id = UUID.randomUUID().toString();
		HttpResponse<String> response = send(
				HttpRequest.newBuilder(URI.create(base(this.dispatcher) + "/tasks/" + id)).DELETE());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).get("terminate").asBoolean()).isFalse();
		// The worker learns of it over Redis pub/sub, a moment after the answer.
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.workerA.getBean(ControlBus.class).isRevoked(id));
	}

	@Test
	void cleanlyStoppedWorkerLeavesTheListAtOnce() throws Exception {
		awaitWorkers(this.dispatcher, 2);
		ConfigurableApplicationContext workerC = run(WebApplicationType.NONE, "taskqueue.worker.name=workers-c",
				"taskqueue.worker.queues=" + this.queueB);
		try {
			awaitWorkers(this.dispatcher, 3);
		}
		finally {
			workerC.close();
		}
		JsonNode workers = get(this.dispatcher, "/workers").get("workers");
		assertThat(workers).extracting((w) -> w.get("name").asString()).containsExactly("workers-a", "workers-b");
	}

	@Test
	void workerWhoseHeartbeatsStoppedVanishesAfterTheTtl() throws Exception {
		awaitWorkers(this.dispatcher, 2);
		// What a worker that died leaves behind: its last record, which nobody deletes.
		WorkerDirectory directory = this.dispatcher.getBean(WorkerDirectory.class);
		Instant now = Instant.now();
		directory.write(new WorkerInfo("workers-dead", "elsewhere", 1, List.of(this.queueA), 1, 0, now, now),
				UUID.randomUUID().toString(), Duration.ofSeconds(3));
		assertThat(get(this.dispatcher, "/workers").get("workers")).extracting((w) -> w.get("name").asString())
			.contains("workers-dead");
		awaitWorkers(this.dispatcher, 2);
		assertThat(get(this.dispatcher, "/workers").get("workers")).extracting((w) -> w.get("name").asString())
			.doesNotContain("workers-dead");
	}

	@Test
	void unknownReadPathIsABadRequest() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base(this.dispatcher) + "/nothing")));
		assertThat(response.statusCode()).isEqualTo(400);
	}

	private JsonNode awaitWorkers(ConfigurableApplicationContext context, int count) {
		JsonNode[] workers = new JsonNode[1];
		Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			workers[0] = get(context, "/workers").get("workers");
			assertThat(workers[0]).hasSize(count);
		});
		return workers[0];
	}

	private ConfigurableApplicationContext run(WebApplicationType type, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.rabbitmq.host=127.0.0.1",
				"spring.data.redis.host=127.0.0.1", "taskqueue.result.key-prefix=" + this.keyPrefix,
				"taskqueue.default-queue=" + this.queueA, "taskqueue.worker.heartbeat-interval=300ms",
				"management.endpoints.web.exposure.include=taskqueue",
				// Control and event exchanges of their own: the cluster's workers these
				// apps
				// see are theirs, not Python workers other tests run on the same broker.
				"taskqueue.cluster.control-exchange=" + this.controlExchange,
				"taskqueue.cluster.event-exchange=" + this.eventExchange));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(type)
			.properties(all.toArray(String[]::new))
			.run();
		this.contexts.add(context);
		return context;
	}

	private String base(ConfigurableApplicationContext context) {
		return url(context, "/actuator/taskqueue");
	}

	private JsonNode get(ConfigurableApplicationContext context, String path) throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base(context) + path)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
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

		@QueueTask("workers.noop")
		void noop() {
		}

	}

}
