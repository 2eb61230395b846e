package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A process the driver started (a JVM under test, a Celery worker). Every one is stopped
 * by PID — its descendants first — when {@link #stop()} is called, and by a shutdown hook
 * if the driver ends any other way.
 */
final class ChildProcess implements AutoCloseable {

	private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(-?\\d+)");

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildProcess::stop), "bench-cleanup"));
	}

	private final String name;

	private final Process process;

	private final Path log;

	private final @Nullable Path portFile;

	private int statsPort = -1;

	private ChildProcess(String name, Process process, Path log, @Nullable Path portFile) {
		this.name = name;
		this.process = process;
		this.log = log;
		this.portFile = portFile;
	}

	/**
	 * Start a process, its output going to a log file.
	 * @param name a name for messages
	 * @param command the command
	 * @param env extra environment
	 * @param workDir the working directory
	 * @param log the log file
	 * @param portFile the file its stats port will be written to, or {@code null}
	 * @return the started process
	 * @throws IOException if it cannot be started
	 */
	static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log,
			@Nullable Path portFile) throws IOException {
		Files.createDirectories(log.getParent());
		if (portFile != null) {
			Files.deleteIfExists(portFile);
		}
		ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().putAll(env);
		ChildProcess child = new ChildProcess(name, builder.start(), log, portFile);
		RUNNING.add(child);
		return child;
	}

	long pid() {
		return this.process.pid();
	}

	ProcessHandle handle() {
		return this.process.toHandle();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	Path log() {
		return this.log;
	}

	/**
	 * Wait until the process has written its stats port.
	 * @param timeout how long to wait
	 * @throws IOException if it died or did not get ready in time
	 * @throws InterruptedException if interrupted
	 */
	void awaitReady(Duration timeout) throws IOException, InterruptedException {
		if (this.portFile == null) {
			throw new IllegalStateException(this.name + " has no stats endpoint");
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!Files.exists(this.portFile)) {
			if (!this.process.isAlive()) {
				throw new IOException(this.name + " exited with " + this.process.exitValue() + " while starting; "
						+ "log: " + this.log + "\n" + tail());
			}
			if (System.nanoTime() > deadline) {
				throw new IOException(this.name + " was not ready within " + timeout.toSeconds() + " s; log: "
						+ this.log + "\n" + tail());
			}
			Thread.sleep(50);
		}
		this.statsPort = Integer.parseInt(Files.readString(this.portFile).trim());
	}

	/**
	 * Read the process's stats endpoint.
	 * @param gc whether to collect garbage first
	 * @return count, lastMillis, heapUsed and heapCommitted
	 * @throws IOException if it does not answer
	 * @throws InterruptedException if interrupted
	 */
	Map<String, Long> stats(boolean gc) throws IOException, InterruptedException {
		return call(gc ? "/stats?gc=1" : "/stats");
	}

	/**
	 * Stop consuming (the queue fills while paused).
	 * @throws IOException if it does not answer
	 * @throws InterruptedException if interrupted
	 */
	void pause() throws IOException, InterruptedException {
		call("/pause");
	}

	/**
	 * Start consuming again.
	 * @throws IOException if it does not answer
	 * @throws InterruptedException if interrupted
	 */
	void resume() throws IOException, InterruptedException {
		call("/resume");
	}

	/**
	 * Run one of the process's own actions.
	 * @param name the action
	 * @throws IOException if it does not answer
	 * @throws InterruptedException if interrupted
	 */
	void action(String name) throws IOException, InterruptedException {
		call("/" + name);
	}

	/**
	 * Read one of the process's documents.
	 * @param name the document
	 * @return its text
	 * @throws IOException if it does not answer
	 * @throws InterruptedException if interrupted
	 */
	String document(String name) throws IOException, InterruptedException {
		return get("/" + name);
	}

	private Map<String, Long> call(String path) throws IOException, InterruptedException {
		Map<String, Long> values = new java.util.LinkedHashMap<>();
		Matcher matcher = FIELD.matcher(get(path));
		while (matcher.find()) {
			values.put(matcher.group(1), Long.parseLong(matcher.group(2)));
		}
		return values;
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.statsPort + path))
			.timeout(Duration.ofSeconds(60))
			.build();
		HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(this.name + " answered " + response.statusCode() + " to " + path);
		}
		return response.body();
	}

	/**
	 * Return the resident memory of the process and its descendants, in bytes.
	 * @return the resident memory of the process and its descendants, in bytes
	 */
	long rss() {
		return Machine.rssTree(this.process.toHandle());
	}

	/**
	 * Stop the process and its descendants: SIGTERM, then SIGKILL after 30 seconds.
	 */
	void stop() {
		stop(30);
	}

	/**
	 * Stop the process and its descendants: SIGTERM, then SIGKILL after a grace period.
	 * @param graceSeconds how long the process may take to exit after SIGTERM
	 */
	void stop(int graceSeconds) {
		RUNNING.remove(this);
		List<ProcessHandle> descendants = this.process.descendants().toList();
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
					System.err.println("bench: " + this.name + " (pid " + pid() + ") did not stop in " + graceSeconds
							+ " s; killing it");
					this.process.destroyForcibly();
					this.process.waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		// Pool processes normally end with their parent; any that did not are killed by
		// PID.
		for (ProcessHandle child : descendants) {
			if (child.isAlive()) {
				child.destroyForcibly();
			}
		}
	}

	@Override
	public void close() {
		stop();
	}

	String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException | RuntimeException ex) {
			return "(no log)";
		}
	}

	@Override
	public String toString() {
		return this.name + " (pid " + pid() + ")";
	}

}
