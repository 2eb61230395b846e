package dev.taskqueue.autoconfigure.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.support.ManagedProcesses;
import org.awaitility.Awaitility;

/**
 * A {@link FaultWorkerApplication} in a JVM of its own, on the test's class path, so a
 * test can kill it ({@code SIGKILL}) or stop it ({@code SIGTERM}) as an operator or the
 * OOM killer would. Its standard output is kept, line by line, to see which tasks it
 * started and finished.
 */
final class WorkerProcess implements AutoCloseable {

	private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

	private final Process process;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private final long startNanos = System.nanoTime();

	private WorkerProcess(Process process) {
		this.process = process;
		this.reader = new Thread(this::read, "fault-worker-" + process.pid() + "-output");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start a worker JVM and wait until it consumes.
	 * @param properties Spring Boot properties, {@code name=value}
	 * @return the started worker
	 */
	static WorkerProcess start(String... properties) {
		return start(FaultWorkerApplication.class, properties);
	}

	/**
	 * Start another application's JVM (one that prints
	 * {@link FaultWorkerApplication#READY} once started) and wait until it is ready.
	 * @param application the application's main class
	 * @param properties Spring Boot properties, {@code name=value}
	 * @return the started application
	 */
	static WorkerProcess start(Class<?> application, String... properties) {
		List<String> command = new ArrayList<>(
				List.of(JAVA.toString(), "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:+UseSerialGC",
						"-XX:TieredStopAtLevel=1", "-Dlogging.level.dev.taskqueue=INFO", application.getName()));
		for (String property : properties) {
			command.add("--" + property);
		}
		Process process;
		try {
			process = ManagedProcesses.register(new ProcessBuilder(command).redirectErrorStream(true).start());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start a worker JVM", ex);
		}
		WorkerProcess worker = new WorkerProcess(process);
		try {
			Awaitility.await("worker JVM " + process.pid() + " ready")
				.atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> worker.lines.contains(FaultWorkerApplication.READY) || !process.isAlive());
			if (!process.isAlive()) {
				throw new IllegalStateException("Worker JVM exited with " + process.exitValue()
						+ " before it was ready:\n" + String.join("\n", worker.lines));
			}
			System.out.println("Worker JVM " + process.pid() + " ready in "
					+ Duration.ofNanos(System.nanoTime() - worker.startNanos).toMillis() + " ms");
		}
		catch (RuntimeException ex) {
			worker.kill();
			throw ex;
		}
		return worker;
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.lines.add(line);
			}
		}
		catch (IOException ex) {
			// The JVM is gone.
		}
	}

	/**
	 * Return the ids of the tasks this JVM started.
	 * @return the ids of the tasks this JVM started
	 */
	List<String> started() {
		return this.lines.stream()
			.filter((line) -> line.startsWith("TASK-START "))
			.map((line) -> line.substring(11))
			.toList();
	}

	/**
	 * Return the ids of the tasks this JVM finished running.
	 * @return the ids of the tasks this JVM finished running
	 */
	List<String> finished() {
		return this.lines.stream()
			.filter((line) -> line.startsWith("TASK-END "))
			.map((line) -> line.substring(9))
			.toList();
	}

	/**
	 * Return everything the JVM printed so far.
	 * @return everything the JVM printed so far
	 */
	String output() {
		return String.join("\n", this.lines);
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Kill the JVM with {@code SIGKILL}: no shutdown hook, no cleanup, as a crash. */
	void kill() {
		ManagedProcesses.kill(this.process);
	}

	/**
	 * Send {@code SIGTERM} (what {@code docker stop} or Kubernetes send) and wait for the
	 * JVM to exit.
	 * @param timeout how long to wait
	 * @return the exit code
	 */
	int terminate(Duration timeout) {
		// Through the handle: Process.destroy() would also close the pipes and lose what
		// the
		// JVM prints while it shuts down.
		this.process.toHandle().destroy();
		return awaitExit(timeout);
	}

	/**
	 * Wait for the JVM to exit by itself (for instance a poison task halted it).
	 * @param timeout how long to wait
	 * @return the exit code
	 */
	int awaitExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new IllegalStateException(
						"Worker JVM " + this.process.pid() + " did not exit within " + timeout + ":\n" + output());
			}
			// Everything it printed before exiting is read before anyone asks.
			this.reader.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		ManagedProcesses.forget(this.process);
		return this.process.exitValue();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
		ManagedProcesses.forget(this.process);
	}

}
