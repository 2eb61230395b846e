package dev.taskqueue.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * A Redis primary, one replica and three sentinels of the test's own on free loopback
 * ports, for one test class, registered as a static {@code @RegisterExtension} field. The
 * application finds the primary through the sentinels
 * ({@code spring.data.redis.sentinel.master} and {@code .nodes}), and the test fails it
 * over with {@link #failover()}, or kills the primary's server ({@link #primary()}) and
 * starts it again once the sentinels promoted the replica: a restarted server without
 * data must never come back as the primary, or the replica would copy its emptiness.
 * Never the shared Redis.
 */
public final class PrivateRedisSentinel implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The name the sentinels monitor the primary under. */
	public static final String MASTER = "tq-primary";

	private final PrivateRedis first;

	private final PrivateRedis second;

	private final List<Integer> sentinelPorts = Stream.generate(ManagedProcesses::freePort).limit(3).toList();

	private final List<Process> sentinels = new ArrayList<>();

	private final Path dir;

	/** Servers and sentinels that are not started yet. */
	public PrivateRedisSentinel() {
		try {
			this.dir = Files.createTempDirectory("tq-private-sentinel-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		// A replica's full sync writes an RDB file to its working directory: not the
		// build's.
		this.first = new PrivateRedis(List.of("--dir", this.dir.toString(), "--dbfilename", "first.rdb"));
		this.second = new PrivateRedis(List.of("--dir", this.dir.toString(), "--dbfilename", "second.rdb",
				"--replicaof", "127.0.0.1", Integer.toString(this.first.port)));
	}

	/**
	 * Start the primary, the replica and the sentinels, and wait until the sentinels know
	 * both servers.
	 * @return this set-up
	 */
	public PrivateRedisSentinel start() {
		this.first.start();
		this.second.start();
		for (int port : this.sentinelPorts) {
			// A sentinel rewrites its configuration file: one of its own.
			Path config = this.dir.resolve("sentinel-" + port + ".conf");
			try {
				Files.writeString(config,
						String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + this.dir,
								"sentinel monitor " + MASTER + " 127.0.0.1 " + this.first.port + " 2",
								"sentinel down-after-milliseconds " + MASTER + " 1000",
								"sentinel failover-timeout " + MASTER + " 10000",
								"sentinel parallel-syncs " + MASTER + " 1", ""));
				this.sentinels.add(ManagedProcesses
					.register(new ProcessBuilder(List.of("redis-server", config.toString(), "--sentinel"))
						.redirectErrorStream(true)
						.redirectOutput(this.dir.resolve("sentinel-" + port + ".log").toFile())
						.start()));
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start a Redis sentinel", ex);
			}
		}
		Awaitility.await("Redis sentinels knowing the replica")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.sentinelPorts.stream()
				.allMatch((port) -> PrivateRedis.cli(port, "SENTINEL", "REPLICAS", MASTER)
					.contains(Integer.toString(this.second.port))));
		return this;
	}

	/**
	 * Return the sentinels' addresses, as {@code spring.data.redis.sentinel.nodes} takes
	 * them.
	 * @return {@code 127.0.0.1:<port>,...}
	 */
	public String sentinelNodes() {
		return this.sentinelPorts.stream().map((port) -> "127.0.0.1:" + port).collect(Collectors.joining(","));
	}

	/**
	 * Return the server the sentinels name as the primary now.
	 * @return the primary
	 */
	public PrivateRedis primary() {
		String reply = PrivateRedis.cli(this.sentinelPorts.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
		return (reply.contains(Integer.toString(this.second.port))) ? this.second : this.first;
	}

	/**
	 * Return the server the sentinels name as the replica now.
	 * @return the replica
	 */
	public PrivateRedis replica() {
		return (primary() == this.first) ? this.second : this.first;
	}

	/**
	 * Have the sentinels promote the replica ({@code SENTINEL FAILOVER}), and wait until
	 * every sentinel names it the primary and the former primary replicates from it.
	 * @return the new primary
	 */
	public PrivateRedis failover() {
		PrivateRedis replica = replica();
		PrivateRedis.cli(this.sentinelPorts.get(0), "SENTINEL", "FAILOVER", MASTER);
		return awaitPromoted(replica);
	}

	/**
	 * Wait until every sentinel names a server the primary, the server says it is, and
	 * the other one (if running) replicates from it.
	 * @param server the server that is to be the primary
	 * @return the server
	 */
	public PrivateRedis awaitPromoted(PrivateRedis server) {
		PrivateRedis other = (server == this.first) ? this.second : this.first;
		Awaitility.await("Redis on port " + server.port + " promoted")
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.sentinelPorts.stream()
				.allMatch((port) -> PrivateRedis.cli(port, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER)
					.contains(Integer.toString(server.port)))
					&& PrivateRedis.cli(server.port, "ROLE").startsWith("master")
					&& (!other.isRunning() || PrivateRedis.cli(other.port, "INFO", "replication")
						.contains("master_port:" + server.port)
							&& PrivateRedis.cli(other.port, "INFO", "replication").contains("master_link_status:up")));
		return server;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/** Stop the sentinels and the servers and delete the sentinels' files. */
	@Override
	public void close() {
		this.sentinels.forEach(ManagedProcesses::kill);
		this.sentinels.clear();
		this.first.close();
		this.second.close();
		try {
			FileSystemUtils.deleteRecursively(this.dir);
		}
		catch (IOException ex) {
			// A leftover temporary directory is harmless.
		}
	}

}
