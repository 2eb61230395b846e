package dev.taskqueue.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.taskqueue.support.Infrastructure;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Python side of the interoperability tests, run with Debian's Celery
 * ({@code /usr/bin/python3}, or {@code -Dtaskqueue.test.python=...}): Celery worker
 * processes that are started, awaited until ready and stopped with their whole process
 * tree, and the client scripts of {@code interop/} on the test class path, run with a
 * timeout, whose JSON output line is returned. {@code scripts/services} installs Celery
 * when it is missing.
 */
public final class PythonCelery {

	/** The Celery application of the client scripts, on the test class path. */
	public static final String INTEROP_APP = "/interop/interop_app.py";

	/** The Python interpreter that runs Celery. */
	public static final String PYTHON = System.getProperty("taskqueue.test.python", "/usr/bin/python3");

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(30);

	private static final Pattern READY = Pattern.compile("\\] (\\S+@\\S+) ready\\.");

	/**
	 * Script arguments are JSON with non-ASCII characters escaped, so no locale can
	 * garble them; script output is Python's JSON, NaN and infinities included.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(JsonWriteFeature.ESCAPE_NON_ASCII)
		.enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
		.build();

	private static final Path LOGS = Path.of("target", "interop");

	/**
	 * Every process still running, killed when the JVM exits in case a test did not stop
	 * it.
	 */
	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> RUNNING.forEach(PythonCelery::destroyTree), "python-celery-reaper"));
	}

	private PythonCelery() {
	}

	/**
	 * Return whether Debian's Celery can be run here.
	 * @return whether the interpreter imports {@code celery} and {@code redis}
	 */
	public static boolean isAvailable() {
		try {
			Process check = new ProcessBuilder(PYTHON, "-c", "import celery, redis").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return check.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && check.exitValue() == 0;
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
	 * Start a Celery worker of {@link #INTEROP_APP} consuming one queue, and wait until
	 * it is ready.
	 * @param queue the queue (Celery's {@code -Q})
	 * @return the running worker; close it to stop it
	 */
	public static Worker startWorker(String queue) {
		return startWorker(queue, Map.of());
	}

	/**
	 * Start a Celery worker consuming one queue, configured by environment variables that
	 * {@code interop_app.py} reads ({@code INTEROP_SERIALIZER}, ...), and wait until it
	 * is ready.
	 * @param queue the queue (Celery's {@code -Q})
	 * @param env the environment variables
	 * @return the running worker; close it to stop it
	 */
	public static Worker startWorker(String queue, Map<String, String> env) {
		return startWorker(INTEROP_APP, queue, env);
	}

	/**
	 * Start a Celery worker of {@code interop_app.py} with other worker options than the
	 * default ones (which switch off mingle, gossip and heartbeats), and wait until it is
	 * ready.
	 * @param queue the queue (Celery's {@code -Q})
	 * @param env the environment variables {@code interop_app.py} reads
	 * @param options the worker options, e.g. {@code -E} or {@code --heartbeat-interval}
	 * @return the running worker; close it to stop it
	 */
	public static Worker startWorker(String queue, Map<String, String> env, List<String> options) {
		return startWorker(INTEROP_APP, queue, env, options);
	}

	/**
	 * Start a Celery worker of an application on the test class path consuming one queue,
	 * configured by environment variables that the application reads, and wait until it
	 * is ready.
	 * @param app the application's module, a class path resource such as
	 * {@code /python/canvas_tasks.py}; its directory is the worker's {@code PYTHONPATH}
	 * @param queue the queue (Celery's {@code -Q})
	 * @param env the environment variables
	 * @return the running worker; close it to stop it
	 */
	public static Worker startWorker(String app, String queue, Map<String, String> env) {
		return startWorker(app, queue, env, List.of("--without-mingle", "--without-gossip", "--without-heartbeat"));
	}

	/**
	 * Start a Celery worker of an application on the test class path consuming one queue,
	 * with the given worker options, and wait until it is ready.
	 * @param app the application's module, a class path resource such as
	 * {@code /python/canvas_tasks.py}; its directory is the worker's {@code PYTHONPATH}
	 * @param queue the queue (Celery's {@code -Q})
	 * @param env the environment variables
	 * @param options the worker options, e.g. {@code -E} or {@code --heartbeat-interval}
	 * @return the running worker; close it to stop it
	 */
	public static Worker startWorker(String app, String queue, Map<String, String> env, List<String> options) {
		Path module = resource(app);
		String name = Infrastructure.unique("celery");
		Path log = LOGS.resolve(name + ".log");
		String moduleName = module.getFileName().toString().replaceFirst("\\.py$", "");
		List<String> command = new ArrayList<>(
				List.of(PYTHON, "-m", "celery", "-A", moduleName, "worker", "-Q", queue, "-c", "2", "-P", "prefork"));
		command.addAll(options);
		command.addAll(List.of("-n", name + "@%h", "-l", "info"));
		Process process;
		try {
			Files.createDirectories(LOGS);
			ProcessBuilder builder = processBuilder(command, module.getParent(), env).redirectErrorStream(true)
				.redirectOutput(log.toFile());
			process = start(builder);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Worker worker = new Worker(name, queue, process, log);
		try {
			worker.awaitReady();
		}
		catch (RuntimeException | Error ex) {
			worker.close();
			throw ex;
		}
		return worker;
	}

	/**
	 * Start a long-running Python command (Celery's CLI, {@code celery events --dump}, or
	 * a script that waits for something) in the background; its output goes to a log file
	 * the test reads.
	 * @param args the arguments after the interpreter, e.g.
	 * {@code -m celery -A interop_app events --dump}
	 * @param env the environment variables {@code interop_app.py} reads
	 * @return the running process; close it to stop it
	 */
	public static Background background(List<String> args, Map<String, String> env) {
		List<String> command = new ArrayList<>(List.of(PYTHON));
		command.addAll(args);
		try {
			Files.createDirectories(LOGS);
			Path log = Files.createTempFile(LOGS, "background-", ".log");
			Process process = start(
					processBuilder(command, home(), env).redirectErrorStream(true).redirectOutput(log.toFile()));
			return new Background(String.join(" ", command), process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Run Celery's CLI ({@code celery -A interop_app ...}) and wait for it to end.
	 * @param args the arguments after {@code celery -A interop_app}
	 * @param env the environment variables {@code interop_app.py} reads
	 * @return what it printed
	 * @throws AssertionError if it fails or does not end in time
	 */
	public static ScriptResult cli(List<String> args, Map<String, String> env) {
		List<String> all = new ArrayList<>(List.of("celery", "-A", "interop_app"));
		all.addAll(args);
		return run("-m", all, env);
	}

	/**
	 * Run {@code celery inspect <command> -j} against some nodes and read its replies.
	 * @param env the environment variables {@code interop_app.py} reads
	 * @param timeoutSeconds how long the CLI waits for replies ({@code -t})
	 * @param destination the node names, comma-separated ({@code -d})
	 * @param command the command and its arguments
	 * @return each node's reply, by node name
	 */
	public static Map<String, Object> inspect(Map<String, String> env, int timeoutSeconds, String destination,
			String... command) {
		return JSON.readValue(remoteControl("inspect", env, timeoutSeconds, destination, command),
				new TypeReference<Map<String, Object>>() {
				});
	}

	/**
	 * Run {@code celery control <command> -j} against some nodes and read its replies,
	 * which the CLI prints as a list of one-node maps.
	 * @param env the environment variables {@code interop_app.py} reads
	 * @param timeoutSeconds how long the CLI waits for replies ({@code -t})
	 * @param destination the node names, comma-separated ({@code -d})
	 * @param command the command and its arguments
	 * @return each node's reply, by node name
	 */
	public static Map<String, Object> control(Map<String, String> env, int timeoutSeconds, String destination,
			String... command) {
		List<Map<String, Object>> replies = JSON.readValue(
				remoteControl("control", env, timeoutSeconds, destination, command),
				new TypeReference<List<Map<String, Object>>>() {
				});
		Map<String, Object> merged = new LinkedHashMap<>();
		replies.forEach(merged::putAll);
		return merged;
	}

	private static String remoteControl(String kind, Map<String, String> env, int timeoutSeconds, String destination,
			String... command) {
		List<String> args = new ArrayList<>(List.of(kind));
		args.addAll(List.of(command));
		args.addAll(List.of("-j", "-t", String.valueOf(timeoutSeconds), "-d", destination));
		return cli(args, env).stdout().strip();
	}

	/**
	 * Start sending a task with {@code call.py}, as a Python client does.
	 * @param task the task name
	 * @return the call to configure and run
	 */
	public static Call call(String task) {
		return new Call(task);
	}

	/**
	 * Read a task's state and extended meta with {@code AsyncResult(id)} in a new Python
	 * process.
	 * @param taskId the task id
	 * @param wait whether to wait for the result ({@code AsyncResult.get})
	 * @return the JSON line {@code result.py} printed
	 */
	public static Map<String, Object> result(String taskId, boolean wait) {
		List<String> args = new ArrayList<>(List.of(taskId));
		if (wait) {
			args.add("--wait");
		}
		return run("result.py", args).json();
	}

	/**
	 * Run a client script and wait for it to end.
	 * @param script the script's file name in the interop resources
	 * @param args its arguments
	 * @return what it printed
	 * @throws AssertionError if it fails or does not end in time
	 */
	public static ScriptResult run(String script, List<String> args) {
		return run(script, args, Map.of());
	}

	/**
	 * Run a client script with environment variables that {@code interop_app.py} reads.
	 * @param script the script's file name in the interop resources
	 * @param args its arguments
	 * @param env the environment variables
	 * @return what it printed
	 * @throws AssertionError if it fails or does not end in time
	 */
	public static ScriptResult run(String script, List<String> args, Map<String, String> env) {
		List<String> command = new ArrayList<>(List.of(PYTHON, script));
		command.addAll(args);
		try {
			Files.createDirectories(LOGS);
			Path out = Files.createTempFile(LOGS, "script-", ".out");
			Path err = Files.createTempFile(LOGS, "script-", ".err");
			try {
				Process process = start(
						processBuilder(command, home(), env).redirectOutput(out.toFile()).redirectError(err.toFile()));
				boolean ended;
				try {
					ended = process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
				finally {
					destroyTree(process);
					RUNNING.remove(process);
				}
				String stdout = Files.readString(out, StandardCharsets.UTF_8);
				String stderr = Files.readString(err, StandardCharsets.UTF_8);
				if (!ended) {
					throw new AssertionError(String.join(" ", command) + " did not end within " + SCRIPT_TIMEOUT
							+ "; stderr:\n" + stderr);
				}
				if (process.exitValue() != 0) {
					throw new AssertionError(
							String.join(" ", command) + " exited with " + process.exitValue() + "; stderr:\n" + stderr);
				}
				return new ScriptResult(String.join(" ", command), stdout, stderr);
			}
			finally {
				Files.deleteIfExists(out);
				Files.deleteIfExists(err);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	/**
	 * JSON text for a script argument.
	 * @param value the value
	 * @return the JSON, ASCII only
	 */
	public static String json(@Nullable Object value) {
		return JSON.writeValueAsString(value);
	}

	private static ProcessBuilder processBuilder(List<String> command, Path directory, Map<String, String> extraEnv) {
		ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
		Map<String, String> env = builder.environment();
		env.keySet().removeIf((key) -> key.startsWith("PYTHON") || key.startsWith("PYENV"));
		env.put("PYTHONPATH", directory.toString());
		env.put("PYTHONDONTWRITEBYTECODE", "1");
		env.put("PYTHONUNBUFFERED", "1");
		env.put("PYTHONIOENCODING", "utf-8");
		env.put("INTEROP_BROKER_URL",
				"amqp://guest:guest@" + Infrastructure.RABBIT_HOST + ":" + Infrastructure.RABBIT_PORT + "//");
		env.put("INTEROP_RESULT_BACKEND",
				"redis://" + Infrastructure.REDIS_HOST + ":" + Infrastructure.REDIS_PORT + "/0");
		env.putAll(extraEnv);
		return builder;
	}

	private static Process start(ProcessBuilder builder) throws IOException {
		try {
			Process process = builder.start();
			RUNNING.add(process);
			return process;
		}
		catch (IOException ex) {
			throw new IOException("Cannot run " + builder.command().get(0) + " (the interoperability tests need "
					+ "Debian's python3-celery, celery, python3-redis and python3-msgpack: run scripts/services as root, or "
					+ "apt-get install them): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return the directory of {@code interop_app.py} and the client scripts.
	 * @return the directory of {@code interop_app.py} and the client scripts
	 */
	private static Path home() {
		return resource(INTEROP_APP).getParent();
	}

	private static Path resource(String name) {
		URL url = PythonCelery.class.getResource(name);
		if (url == null) {
			throw new IllegalStateException(name + " is not on the test class path");
		}
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stop a process and everything it started: SIGTERM first (Celery's warm shutdown),
	 * SIGKILL for whatever is still alive after {@link #STOP_TIMEOUT}.
	 */
	private static void destroyTree(Process process) {
		List<ProcessHandle> descendants = process.descendants().toList();
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			for (ProcessHandle descendant : descendants) {
				if (descendant.isAlive()) {
					descendant.destroyForcibly();
					descendant.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			// Nothing more can be done than SIGKILL; the test reports its own failure.
		}
	}

	/**
	 * A Celery worker process
	 * ({@code celery -A <app> worker -Q <queue> -c 2 -P prefork}).
	 */
	public static final class Worker implements AutoCloseable {

		private final String name;

		private final String queue;

		private final Process process;

		private final Path log;

		private @Nullable String nodeName;

		private Worker(String name, String queue, Process process, Path log) {
			this.name = name;
			this.queue = queue;
			this.process = process;
			this.log = log;
		}

		private void awaitReady() {
			long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
			while (System.nanoTime() < deadline) {
				Matcher ready = READY.matcher(log());
				while (ready.find()) {
					if (ready.group(1).startsWith(this.name + "@")) {
						this.nodeName = ready.group(1);
						return;
					}
				}
				if (!this.process.isAlive()) {
					throw new AssertionError("Celery worker " + this.name + " exited with " + this.process.exitValue()
							+ " before it was ready; its log:\n" + log());
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while waiting for Celery worker " + this.name, ex);
				}
			}
			throw new AssertionError(
					"Celery worker " + this.name + " was not ready within " + READY_TIMEOUT + "; its log:\n" + log());
		}

		/**
		 * Return the worker's node name, as Celery stores it in results
		 * ({@code name@host}).
		 * @return the worker's node name, as Celery stores it in results
		 * ({@code name@host})
		 */
		public String nodeName() {
			if (this.nodeName == null) {
				throw new IllegalStateException("Celery worker " + this.name + " is not ready");
			}
			return this.nodeName;
		}

		/**
		 * Return the queue it consumes.
		 * @return the queue it consumes
		 */
		public String queue() {
			return this.queue;
		}

		/**
		 * Return the pid of the worker's main process.
		 * @return the pid of the worker's main process
		 */
		public long pid() {
			return this.process.pid();
		}

		/**
		 * Return everything the worker logged so far.
		 * @return everything the worker logged so far
		 */
		public String log() {
			try {
				return Files.exists(this.log) ? Files.readString(this.log, StandardCharsets.UTF_8) : "";
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Kill the worker and its pool processes with SIGKILL, as a crash would: no warm
		 * shutdown, no {@code worker-offline}.
		 */
		void kill() {
			List<ProcessHandle> descendants = this.process.descendants().toList();
			this.process.destroyForcibly();
			descendants.forEach(ProcessHandle::destroyForcibly);
			try {
				this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			RUNNING.remove(this.process);
		}

		/** Stop the worker and its pool processes. */
		@Override
		public void close() {
			destroyTree(this.process);
			RUNNING.remove(this.process);
		}

	}

	/**
	 * One {@code call.py} run: a task sent by a Python client with {@code send_task}
	 * (default), {@code delay} or {@code apply_async}, and (unless {@link #noWait()}) its
	 * outcome.
	 */
	public static final class Call {

		private final List<String> args = new ArrayList<>();

		private final Map<String, String> env = new java.util.LinkedHashMap<>();

		private Call(String task) {
			this.args.add(task);
		}

		public Call queue(String queue) {
			return option("--queue", queue);
		}

		public Call via(String way) {
			return option("--via", way);
		}

		public Call args(@Nullable Object... args) {
			return option("--args", json(Arrays.asList(args)));
		}

		/**
		 * Positional args as JSON text, for what Java's JSON cannot write (Python's NaN).
		 */
		public Call argsJson(String json) {
			return option("--args", json);
		}

		public Call kwargs(Map<String, ?> kwargs) {
			return option("--kwargs", json(kwargs));
		}

		public Call countdown(double seconds) {
			return option("--countdown", Double.toString(seconds));
		}

		public Call expires(double seconds) {
			return option("--expires", Double.toString(seconds));
		}

		public Call timeLimit(double seconds) {
			return option("--time-limit", Double.toString(seconds));
		}

		public Call softTimeLimit(double seconds) {
			return option("--soft-time-limit", Double.toString(seconds));
		}

		public Call link(String task, List<?> args, Map<String, ?> options) {
			return option("--link", json(Map.of("task", task, "args", args, "options", options)));
		}

		public Call linkError(String task, List<?> args, Map<String, ?> options) {
			return option("--link-error", json(Map.of("task", task, "args", args, "options", options)));
		}

		/** Positional args as a Python literal, for values JSON has not (bytes). */
		public Call argsLiteral(String literal) {
			return option("--args-literal", literal);
		}

		public Call serializer(String serializer) {
			return option("--serializer", serializer);
		}

		public Call compression(String compression) {
			return option("--compression", compression);
		}

		/**
		 * Configure the Python client through {@code interop_app.py}'s environment
		 * variables.
		 */
		public Call env(String name, String value) {
			this.env.put(name, value);
			return this;
		}

		public Call noWait() {
			this.args.add("--no-wait");
			return this;
		}

		private Call option(String name, String value) {
			this.args.add(name);
			this.args.add(value);
			return this;
		}

		/**
		 * Return the JSON line {@code call.py} printed.
		 * @return the JSON line {@code call.py} printed
		 */
		public Map<String, Object> run() {
			return PythonCelery.run("call.py", this.args, this.env).json();
		}

	}

	/**
	 * A Python process running in the background.
	 */
	public static final class Background implements AutoCloseable {

		private final String command;

		private final Process process;

		private final Path log;

		private Background(String command, Process process, Path log) {
			this.command = command;
			this.process = process;
			this.log = log;
		}

		/**
		 * Return everything it printed so far.
		 * @return everything it printed so far
		 */
		public String output() {
			try {
				return Files.readString(this.log, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Wait for it to end by itself.
		 * @param timeout how long to wait
		 * @return what it printed
		 * @throws AssertionError if it does not end in time or fails
		 */
		public String awaitExit(Duration timeout) {
			try {
				if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					throw new AssertionError(
							this.command + " did not end within " + timeout + "; output:\n" + output());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			if (this.process.exitValue() != 0) {
				throw new AssertionError(
						this.command + " exited with " + this.process.exitValue() + "; output:\n" + output());
			}
			return output();
		}

		@Override
		public void close() {
			destroyTree(this.process);
			RUNNING.remove(this.process);
			try {
				Files.deleteIfExists(this.log);
			}
			catch (IOException ex) {
				// a temporary file; leave it
			}
		}

	}

	/**
	 * What a script printed.
	 *
	 * @param command the command line
	 * @param stdout its standard output
	 * @param stderr its standard error
	 */
	public record ScriptResult(String command, String stdout, String stderr) {

		/**
		 * Return the last line of standard output, parsed as a JSON object.
		 * @return the last line of standard output, parsed as a JSON object
		 */
		public Map<String, Object> json() {
			String[] lines = this.stdout.strip().split("\n");
			String last = lines[lines.length - 1];
			if (last.isBlank()) {
				throw new AssertionError(this.command + " printed nothing; stderr:\n" + this.stderr);
			}
			return JSON.readValue(last, new TypeReference<Map<String, Object>>() {
			});
		}

	}

}
