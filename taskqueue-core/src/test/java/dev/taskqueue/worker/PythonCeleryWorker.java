package dev.taskqueue.worker;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.awaitility.Awaitility.await;

/**
 * A real Celery 5.2 worker (Debian's {@code python3-celery}) on
 * {@code python/canvas_tasks.py}, consuming one queue; stopped by its process id.
 */
final class PythonCeleryWorker implements AutoCloseable {

	private static final String PYTHON = "/usr/bin/python3";

	private final Process process;

	private final Path log;

	private PythonCeleryWorker(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Return whether Debian's Celery can be run here.
	 * @return whether Debian's Celery can be run here
	 */
	static boolean isAvailable() {
		if (!new File(PYTHON).canExecute()) {
			return false;
		}
		try {
			Process check = new ProcessBuilder(PYTHON, "-c", "import celery, redis").redirectErrorStream(true).start();
			return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Start a worker and wait until it consumes its queue.
	 * @param queue the queue ({@code -Q})
	 * @param admin an admin on the broker
	 * @return the running worker
	 */
	static PythonCeleryWorker start(String queue, RabbitAdmin admin) throws IOException {
		return start(queue, admin, "json");
	}

	/**
	 * Start a worker whose Celery app sends and stores in a serializer.
	 * @param queue the queue ({@code -Q})
	 * @param admin an admin on the broker
	 * @param serializer Celery's {@code task_serializer} and {@code result_serializer}
	 * @return the running worker
	 */
	static PythonCeleryWorker start(String queue, RabbitAdmin admin, String serializer) throws IOException {
		Path module = module();
		Path log = Files.createTempFile("celery-" + queue, ".log");
		ProcessBuilder builder = new ProcessBuilder(PYTHON, "-m", "celery", "-A", "canvas_tasks", "worker", "-Q", queue,
				"-c", "2", "-P", "prefork", "--without-mingle", "--without-gossip", "--without-heartbeat", "-n",
				"py-" + queue + "@%h", "--loglevel", "INFO")
			.directory(module.getParent().toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().put("CANVAS_QUEUE", queue);
		builder.environment().put("CANVAS_SERIALIZER", serializer);
		builder.environment().put("PYTHONPATH", module.getParent().toString());
		PythonCeleryWorker worker = new PythonCeleryWorker(builder.start(), log);
		try {
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
				if (!worker.process.isAlive()) {
					throw new IllegalStateException("Celery worker exited: " + worker.output());
				}
				Properties info = admin.getQueueProperties(queue);
				return info != null && ((Number) info.get(RabbitAdmin.QUEUE_CONSUMER_COUNT)).intValue() > 0;
			});
		}
		catch (RuntimeException ex) {
			worker.close();
			throw ex;
		}
		return worker;
	}

	private static Path module() {
		URL url = PythonCeleryWorker.class.getResource("/python/canvas_tasks.py");
		if (url == null) {
			throw new IllegalStateException("python/canvas_tasks.py is not on the test classpath");
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return what the worker logged so far.
	 * @return what the worker logged so far
	 */
	String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		List<ProcessHandle> children = this.process.descendants().toList();
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
		try {
			Files.deleteIfExists(this.log);
		}
		catch (IOException ex) {
			// a temporary file; leave it
		}
	}

}
