package dev.taskqueue.support;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Three {@link PrivateRabbit} nodes joined into one RabbitMQ cluster for one test class,
 * registered as a static {@code @RegisterExtension} field: the nodes share an Erlang
 * cookie of their own and each has its own name, ports and data directory. Starting a
 * cluster takes tens of seconds, so it starts once before the class's first test; a node
 * a test left stopped starts again (and rejoins, as a restarted cluster member does)
 * before the next test, and all stop after the last. Never the shared broker.
 */
public final class PrivateRabbitCluster implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

	private static final int SIZE = 3;

	private final List<PrivateRabbit> nodes;

	/** A cluster that is not started yet. */
	public PrivateRabbitCluster() {
		String cookie = UUID.randomUUID().toString().replace("-", "").toUpperCase();
		this.nodes = IntStream.range(0, SIZE).mapToObj((i) -> new PrivateRabbit(cookie)).toList();
	}

	/**
	 * Return the cluster's nodes, the first being the one the others joined.
	 * @return the nodes
	 */
	public List<PrivateRabbit> nodes() {
		return this.nodes;
	}

	/**
	 * Return the nodes' AMQP addresses, as {@code spring.rabbitmq.addresses} takes them.
	 * @return {@code 127.0.0.1:<port>,...}
	 */
	public String addresses() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port).collect(Collectors.joining(","));
	}

	/**
	 * Start the three nodes at once and join the second and third to the first.
	 * @return this cluster
	 */
	public PrivateRabbitCluster start() {
		this.nodes.forEach(PrivateRabbit::launch);
		CompletableFuture
			.allOf(this.nodes.stream()
				.map((node) -> CompletableFuture.runAsync(node::awaitAmqp))
				.toArray(CompletableFuture[]::new))
			.join();
		String first = this.nodes.get(0).nodeName();
		for (PrivateRabbit node : this.nodes.subList(1, SIZE)) {
			node.ctl("stop_app");
			node.ctl("join_cluster", first);
			node.ctl("start_app");
			node.awaitAmqp();
		}
		return this;
	}

	/**
	 * Return the node that leads a quorum queue now, as the cluster reports it.
	 * @param queue the queue's name
	 * @return the leading node
	 * @throws IllegalStateException if no running node reports a leader for the queue
	 */
	public PrivateRabbit leaderOf(String queue) {
		for (PrivateRabbit asked : this.nodes) {
			if (!asked.isRunning()) {
				continue;
			}
			for (String line : asked.ctl("list_queues", "--no-table-headers", "name", "leader").split("\n")) {
				String[] columns = line.trim().split("\\s+");
				if (columns.length == 2 && columns[0].equals(queue)) {
					return this.nodes.stream()
						.filter((node) -> node.nodeName().equals(columns[1]))
						.findFirst()
						.orElseThrow(() -> new IllegalStateException(
								"Queue '" + queue + "' is led by " + columns[1] + ", not a node of this cluster"));
				}
			}
			break;
		}
		throw new IllegalStateException("No running node of the cluster reports a leader for queue '" + queue + "'");
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		// A test that failed half-way may have left one down.
		for (PrivateRabbit node : this.nodes) {
			if (!node.isRunning()) {
				node.start();
			}
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// The joined nodes first, so the first stops last and nothing waits for it.
		for (int i = SIZE - 1; i >= 0; i--) {
			this.nodes.get(i).close();
		}
	}

}
