package dev.taskqueue.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.rabbitmq.client.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.FileSystemUtils;

/**
 * A RabbitMQ node of the test's own: its own node name, AMQP and distribution ports on
 * loopback, data, logs and Erlang cookie under a temporary directory, and no plugins (so
 * no management listener clashes with the shared node's). The test may stop and start it
 * again; its durable queues and persistent messages survive, as on a real broker restart.
 * Never the shared broker. {@link PrivateRabbitCluster} joins three of them into one
 * cluster.
 */
public final class PrivateRabbit implements AutoCloseable {

	private static final String BIN = "/usr/lib/rabbitmq/bin/";

	/** Generous: three nodes booting at once on a busy 2-CPU machine take minutes. */
	private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(240);

	private static final int LOG_TAIL_LINES = 40;

	/** The node's AMQP port on 127.0.0.1 (guest/guest). */
	public final int port = ManagedProcesses.freePort();

	private final int distPort = ManagedProcesses.freePort();

	private final String node = "tq-private-" + this.port + "@localhost";

	private final Path dir;

	private @Nullable Process process;

	/** A node that is not started yet, with an Erlang cookie of its own. */
	public PrivateRabbit() {
		this(null);
	}

	/**
	 * A node that is not started yet.
	 * @param erlangCookie the Erlang cookie, which the nodes of a cluster share, or
	 * {@code null} for one the node makes up
	 */
	PrivateRabbit(@Nullable String erlangCookie) {
		try {
			this.dir = Files.createTempDirectory("tq-private-rabbit-");
			Files.createDirectories(this.dir.resolve("home"));
			if (erlangCookie != null) {
				// Where both the node and its command line tools read it (HOME).
				Path cookie = this.dir.resolve("home/.erlang.cookie");
				Files.writeString(cookie, erlangCookie);
				Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("r--------"));
			}
			Files.createDirectories(this.dir.resolve("mnesia"));
			Files.createDirectories(this.dir.resolve("log"));
			Files.writeString(this.dir.resolve("enabled_plugins"), "[].\n");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Start the node and wait until it accepts AMQP connections.
	 * @return this node
	 */
	public PrivateRabbit start() {
		launch();
		awaitAmqp();
		return this;
	}

	/** Start the node's process without waiting for it. */
	void launch() {
		if (!Files.isExecutable(Path.of(BIN, "rabbitmq-server"))) {
			throw new IllegalStateException("This test starts a RabbitMQ node of its own and needs the server "
					+ "installed (" + BIN + "rabbitmq-server); scripts/services installs it");
		}
		ProcessBuilder builder = new ProcessBuilder(List.of(BIN + "rabbitmq-server")).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("log/console.log").toFile());
		builder.environment().putAll(environment());
		try {
			this.process = ManagedProcesses.register(builder.start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start a RabbitMQ node", ex);
		}
	}

	/**
	 * Wait until the node accepts AMQP connections. A node whose process ended before it
	 * did is launched once more: on a loaded machine the Erlang VM can give up at boot (a
	 * distribution port taken meanwhile, a start-up timeout), and a second boot usually
	 * succeeds.
	 * @throws IllegalStateException if the node does not accept connections in time, with
	 * the end of its logs
	 */
	void awaitAmqp() {
		boolean relaunched = false;
		long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (acceptsAmqp()) {
				return;
			}
			Process process = this.process;
			if (process != null && !process.isAlive() && !relaunched) {
				relaunched = true;
				launch();
			}
			else if (process != null && !process.isAlive()) {
				break;
			}
			sleep(Duration.ofMillis(250));
		}
		Process process = this.process;
		throw new IllegalStateException("RabbitMQ node " + this.node + " did not accept AMQP connections on port "
				+ this.port + " within " + BOOT_TIMEOUT.toSeconds() + " s" + ((process != null && !process.isAlive())
						? " (its process ended with " + process.exitValue() + ")" : "")
				+ (relaunched ? ", launched twice" : "") + "; the end of its logs:\n" + logTail());
	}

	private String logTail() {
		StringBuilder tail = new StringBuilder();
		try (Stream<Path> logs = Files.list(this.dir.resolve("log"))) {
			for (Path log : logs.sorted().toList()) {
				List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
				tail.append("--- ").append(log.getFileName()).append('\n');
				lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
					.forEach((line) -> tail.append(line).append('\n'));
			}
		}
		catch (IOException | UncheckedIOException ex) {
			tail.append("(logs unreadable: ").append(ex).append(")");
		}
		return tail.toString();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a RabbitMQ node", ex);
		}
	}

	/**
	 * Return the node's Erlang name.
	 * @return the node's name, {@code tq-private-<port>@localhost}
	 */
	public String nodeName() {
		return this.node;
	}

	/**
	 * Run {@code rabbitmqctl} against this node.
	 * @param args the command and its arguments, such as {@code list_queues name}
	 * @return what the command printed
	 * @throws IllegalStateException if the command fails
	 */
	public String ctl(String... args) {
		List<String> command = new ArrayList<>(List.of(BIN + "rabbitmqctl", "-q", "-n", this.node));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment());
		try {
			Process ctl = builder.start();
			String output = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!ctl.waitFor(120, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
				ctl.destroyForcibly();
				throw new IllegalStateException(
						"rabbitmqctl " + String.join(" ", args) + " on " + this.node + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run rabbitmqctl", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running rabbitmqctl", ex);
		}
	}

	/** Stop the node as an operator restarting it would, then wait until it is gone. */
	public void stop() {
		Process process = this.process;
		if (process == null) {
			return;
		}
		try {
			ProcessBuilder ctl = new ProcessBuilder(List.of(BIN + "rabbitmqctl", "-n", this.node, "stop"))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD);
			ctl.environment().putAll(environment());
			Process stopper = ctl.start();
			stopper.waitFor(60, TimeUnit.SECONDS);
			process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			// Fall through to the kill below.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		ManagedProcesses.kill(process);
		this.process = null;
	}

	/**
	 * Return whether the node was started and not stopped since.
	 * @return whether the node was started and not stopped since
	 */
	public boolean isRunning() {
		return this.process != null;
	}

	private boolean acceptsAmqp() {
		if (!ManagedProcesses.accepts(this.port)) {
			return false;
		}
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(this.port);
		factory.setConnectionTimeout(2000);
		try (com.rabbitmq.client.Connection connection = factory.newConnection()) {
			return connection.isOpen();
		}
		catch (Exception ex) {
			return false;
		}
	}

	private Map<String, String> environment() {
		return Map.ofEntries(Map.entry("HOME", this.dir.resolve("home").toString()),
				Map.entry("RABBITMQ_NODENAME", this.node), Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
				Map.entry("RABBITMQ_NODE_PORT", Integer.toString(this.port)),
				Map.entry("RABBITMQ_DIST_PORT", Integer.toString(this.distPort)),
				Map.entry("RABBITMQ_MNESIA_BASE", this.dir.resolve("mnesia").toString()),
				Map.entry("RABBITMQ_LOG_BASE", this.dir.resolve("log").toString()),
				Map.entry("RABBITMQ_ENABLED_PLUGINS_FILE", this.dir.resolve("enabled_plugins").toString()),
				Map.entry("RABBITMQ_PID_FILE", this.dir.resolve("pid").toString()),
				Map.entry("RABBITMQ_CONFIG_FILE", this.dir.resolve("rabbitmq").toString()),
				Map.entry("RABBITMQ_ADVANCED_CONFIG_FILE", this.dir.resolve("advanced.config").toString()),
				// Two schedulers are plenty for a test broker on a shared machine.
				Map.entry("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "+S 2:2 +A 8"));
	}

	@Override
	public void close() {
		try {
			stop();
		}
		finally {
			try {
				FileSystemUtils.deleteRecursively(this.dir);
			}
			catch (IOException ex) {
				// A leftover temporary directory is harmless.
			}
		}
	}

}
