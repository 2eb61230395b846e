package dev.taskqueue.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * A Redis Cluster of three primaries (no replicas) of the test's own on free loopback
 * ports, for one test class, registered as a static {@code @RegisterExtension} field.
 * Never the shared Redis.
 */
public final class PrivateRedisCluster implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	private final Path dir;

	private final List<PrivateRedis> nodes = new ArrayList<>();

	/** A cluster that is not started yet. */
	public PrivateRedisCluster() {
		try {
			this.dir = Files.createTempDirectory("tq-private-redis-cluster-");
			for (int i = 0; i < 3; i++) {
				// Each node writes its view of the cluster to a file of its own.
				Path nodeDir = Files.createDirectories(this.dir.resolve("node-" + i));
				this.nodes.add(new PrivateRedis(List.of("--cluster-enabled", "yes", "--dir", nodeDir.toString(),
						"--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
						// Not the port plus 10000, Redis's default, which may be taken or
						// past the last port.
						"--cluster-port", Integer.toString(ManagedProcesses.freePort()))));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the nodes' addresses, as {@code spring.data.redis.cluster.nodes} takes them.
	 * @return {@code 127.0.0.1:<port>,...}
	 */
	public String nodes() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port).collect(Collectors.joining(","));
	}

	/**
	 * Return the nodes' addresses.
	 * @return {@code 127.0.0.1:<port>} of each node
	 */
	public List<String> nodeList() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port).toList();
	}

	/**
	 * Start the nodes, assign the hash slots over them and wait until the cluster is up.
	 * @return this cluster
	 */
	public PrivateRedisCluster start() {
		this.nodes.forEach(PrivateRedis::start);
		List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		command.addAll(nodeList());
		command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		try {
			Process create = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("create.log").toFile())
				.start();
			if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
				create.destroyForcibly();
				throw new IllegalStateException(
						"redis-cli --cluster create failed: " + Files.readString(this.dir.resolve("create.log")));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run redis-cli", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		Awaitility.await("Redis Cluster up")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.nodes.stream()
				.allMatch((node) -> node.command("CLUSTER", "INFO").contains("cluster_state:ok")));
		return this;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/** Stop the nodes and delete their files. */
	@Override
	public void close() {
		this.nodes.forEach(PrivateRedis::close);
		try {
			FileSystemUtils.deleteRecursively(this.dir);
		}
		catch (IOException ex) {
			// A leftover temporary directory is harmless.
		}
	}

}
