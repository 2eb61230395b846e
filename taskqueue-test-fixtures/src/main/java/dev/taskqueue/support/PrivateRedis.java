package dev.taskqueue.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A redis-server of the test's own on a free loopback port, without persistence, that the
 * test may stop and start again (same port, empty data) to cut the result store off.
 * Never the shared Redis.
 */
public final class PrivateRedis implements AutoCloseable {

	/** The server's port on 127.0.0.1. */
	public final int port = ManagedProcesses.freePort();

	private final List<String> arguments;

	private @Nullable Process process;

	/** A server that is not started yet. */
	public PrivateRedis() {
		this(List.of());
	}

	/**
	 * A server that is not started yet.
	 * @param arguments further {@code redis-server} arguments, such as
	 * {@code --replicaof}
	 */
	PrivateRedis(List<String> arguments) {
		this.arguments = List.copyOf(arguments);
	}

	/**
	 * Start the server and wait until it answers {@code PING}.
	 * @return this server
	 */
	public PrivateRedis start() {
		List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no"));
		command.addAll(this.arguments);
		try {
			this.process = ManagedProcesses.register(new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start redis-server", ex);
		}
		Awaitility.await("redis-server on port " + this.port)
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(this::answersPing);
		return this;
	}

	/**
	 * Kill the server (SIGKILL): the result store is gone at once, as when its host dies.
	 */
	public void stop() {
		Process process = this.process;
		if (process != null) {
			ManagedProcesses.kill(process);
			this.process = null;
		}
	}

	/**
	 * Return whether the server was started and not stopped since.
	 * @return whether the server was started and not stopped since
	 */
	public boolean isRunning() {
		return this.process != null;
	}

	/**
	 * Return whether the server answers {@code PING} now.
	 * @return whether the server answers {@code PING} now
	 */
	public boolean answersPing() {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			return "+PONG".equals(line);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Run a command with {@code redis-cli} on a private server or sentinel.
	 * @param port the server's or sentinel's port
	 * @param args the command
	 * @return its reply as {@code redis-cli} prints it, empty if it could not connect
	 */
	static String cli(int port, String... args) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(List.of(args));
		try {
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!cli.waitFor(30, TimeUnit.SECONDS)) {
				cli.destroyForcibly();
				return "";
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run redis-cli", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/**
	 * Run a command on this server with {@code redis-cli}.
	 * @param args the command
	 * @return its reply as {@code redis-cli} prints it, empty if it could not connect
	 */
	public String command(String... args) {
		return cli(this.port, args);
	}

	@Override
	public void close() {
		stop();
	}

}
