package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An operator policy of the kind README suggests — {@code queue-version: 2} for classic
 * queues — applied only to this run's own queues (the pattern names the run id, so no
 * other queue of a shared broker matches) before they are declared, and removed when the
 * run ends. A policy, not a queue argument: Celery's and taskqueue's declarations (no
 * arguments) still match the queue. Set with {@code rabbitmqctl}, so only for a broker on
 * this machine.
 */
final class QueueVersionPolicy implements AutoCloseable {

	private final String name;

	private QueueVersionPolicy(String name) {
		this.name = name;
	}

	/**
	 * The policy's name and pattern for a run.
	 * @param runId the run id
	 * @return the pattern matching every queue of that run and nothing else
	 */
	static String pattern(String runId) {
		return "^" + Pattern.quote("tq-bench-" + runId);
	}

	/**
	 * Apply {@code queue-version} to the run's queues.
	 * @param runId the run id
	 * @param version the classic queue version (1 or 2)
	 * @return the policy, to remove with {@link #close()}
	 * @throws IOException if {@code rabbitmqctl} fails
	 */
	static QueueVersionPolicy apply(String runId, int version) throws IOException {
		String name = "tq-bench-" + runId;
		rabbitmqctl("set_policy", "--apply-to", "queues", "--priority", "100", name, pattern(runId),
				"{\"queue-version\":" + version + "}");
		return new QueueVersionPolicy(name);
	}

	@Override
	public void close() {
		try {
			rabbitmqctl("clear_policy", this.name);
		}
		catch (IOException ex) {
			Report.line("could not remove policy %s (remove it with 'rabbitmqctl clear_policy %s'): %s", this.name,
					this.name, ex.getMessage());
		}
	}

	private static void rabbitmqctl(String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add("rabbitmqctl");
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IOException(String.join(" ", command) + " failed: " + output.strip());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroy();
			throw new IOException("interrupted: " + String.join(" ", command), ex);
		}
	}

}
