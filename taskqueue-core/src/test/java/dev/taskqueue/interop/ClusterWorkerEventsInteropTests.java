package dev.taskqueue.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.taskqueue.control.internal.node.WorkerEvents;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.ManagedProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Celery's {@code celery.events.state.State}, fed by a receiver as Flower feeds it, sees
 * a real Java worker in a JVM of its own: online, the tasks it ran with their states and
 * runtimes from its task events, and offline {@code 2 × freq} after a {@code SIGKILL}
 * stopped its heartbeats.
 */
class ClusterWorkerEventsInteropTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

	private final String namespace = Infrastructure.unique("cwe-ctl");

	private final String events = Infrastructure.unique("cwe-ev");

	private final String queue = Infrastructure.unique("cwe-q");

	private final String node = Infrastructure.unique("javachild") + "@" + ProcessIdentity.hostname();

	private final Map<String, String> env = Map.of("INTEROP_CONTROL_EXCHANGE", this.namespace, "INTEROP_EVENT_EXCHANGE",
			this.events);

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private Process child;

	@AfterEach
	void cleanUp() {
		if (this.child != null && this.child.isAlive()) {
			ManagedProcesses.kill(this.child);
		}
		CachingConnectionFactory rabbit = Infrastructure.rabbit();
		try {
			RabbitAdmin admin = new RabbitAdmin(rabbit);
			admin.deleteQueue(this.queue);
			admin.deleteQueue(this.queue + ".dlq");
			admin.deleteExchange(this.queue);
			admin.deleteExchange(this.queue + ".dlq");
			admin.deleteExchange(this.namespace + ".pidbox");
			admin.deleteExchange("reply." + this.namespace + ".pidbox");
			admin.deleteExchange(this.events);
		}
		finally {
			rabbit.destroy();
		}
	}

	private void startChild() throws IOException {
		List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-cp", System.getProperty("java.class.path"),
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", ClusterWorkerMain.class.getName(),
				this.queue, this.namespace, this.events, this.node));
		this.child = ManagedProcesses.register(new ProcessBuilder(command).redirectErrorStream(true).start());
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(this.child.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// The JVM is gone.
			}
		}, "cluster-worker-child-output");
		reader.setDaemon(true);
		reader.start();
		await("child worker ready").atMost(Duration.ofSeconds(90))
			.until(() -> this.lines.contains(ClusterWorkerMain.READY) || !this.child.isAlive());
		assertThat(this.child.isAlive()).as(() -> String.join("\n", this.lines)).isTrue();
	}

	private PythonCelery.Background state(String... options) {
		List<String> args = new ArrayList<>(List.of("cluster_state.py", "--node", this.node, "--timeout", "50"));
		args.addAll(List.of(options));
		PythonCelery.Background state = PythonCelery.background(args, this.env);
		await().atMost(WAIT).until(() -> state.output().contains("READY"));
		return state;
	}

	@Test
	void stateSeesTheJavaWorkersTasksAndJudgesItOfflineAfterASigkill() throws IOException {
		startChild();
		Map<String, Object> seen;
		try (PythonCelery.Background state = state("--tasks", "2", "--freq", "1")) {
			assertThat(PythonCelery.call("interop.java.add").queue(this.queue).args(2, 3).run()).containsEntry("state",
					"SUCCESS");
			assertThat(PythonCelery.call("interop.java.divide").queue(this.queue).args(1, 0).run())
				.containsEntry("state", "FAILURE");
			seen = lastLine(state.awaitExit(WAIT));
		}
		Map<String, Object> javaWorker = map(map(seen.get("workers")).get(this.node));
		assertThat(javaWorker).containsEntry("alive", true)
			.containsEntry("sw_ident", WorkerEvents.SOFTWARE)
			.containsEntry("freq", 1.0)
			.containsEntry("pid", (int) this.child.pid());
		List<?> tasks = (List<?>) seen.get("tasks");
		assertThat(tasks).anySatisfy((task) -> assertThat(map(task)).containsEntry("name", "interop.java.add")
			.containsEntry("state", "SUCCESS")
			.containsEntry("args", "(2, 3)")
			.containsEntry("result", "5")
			.containsEntry("worker", this.node)
			.satisfies((t) -> assertThat(((Number) t.get("runtime")).doubleValue()).isPositive()));
		assertThat(tasks).anySatisfy((task) -> assertThat(map(task)).containsEntry("name", "interop.java.divide")
			.containsEntry("state", "FAILURE")
			.containsEntry("worker", this.node)
			.satisfies((t) -> assertThat((String) t.get("exception")).contains("division by zero")));
		try (PythonCelery.Background state = state("--offline")) {
			// The receiver asked for a heartbeat when it started, which Celery sends with
			// freq 5: let periodic ones (freq 1) follow before the crash, so the last one
			// the receiver saw is periodic. Then no worker-offline: the heartbeats just
			// stop.
			await().pollDelay(Duration.ofMillis(2500)).atMost(WAIT).until(() -> true);
			ManagedProcesses.kill(this.child);
			Map<String, Object> offline = lastLine(state.awaitExit(WAIT));
			assertThat(offline).containsEntry("expires_after", 2.0);
			assertThat(((Number) offline.get("offline_after")).doubleValue()).isGreaterThanOrEqualTo(2.0);
			assertThat(map(map(offline.get("workers")).get(this.node))).containsEntry("alive", false);
		}
	}

	private static Map<String, Object> lastLine(String output) {
		String[] lines = output.strip().split("\n");
		return JSON.readValue(lines[lines.length - 1], new TypeReference<Map<String, Object>>() {
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

}
