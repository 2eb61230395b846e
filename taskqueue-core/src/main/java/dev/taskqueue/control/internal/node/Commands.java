package dev.taskqueue.control.internal.node;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.taskqueue.control.internal.EventMessages;
import dev.taskqueue.control.internal.HostStatistics;
import dev.taskqueue.control.internal.LamportClock;
import dev.taskqueue.control.internal.PythonText;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.protocol.internal.CeleryTime;
import dev.taskqueue.protocol.internal.ProcessIdentity;
import dev.taskqueue.protocol.internal.PythonRepr;
import dev.taskqueue.ratelimit.RateLimit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Celery's remote-control commands ({@code celery/worker/control.py}) on a
 * {@link ControlledWorker}: each takes the request's keyword arguments and returns the
 * value the node replies with, in Celery's exact shape; a bad argument or a failure
 * becomes Celery's <code>{"error": "&lt;repr&gt;"}</code>. Unknown keyword arguments are
 * ignored, as most of Celery's handlers ignore them.
 */
final class Commands {

	private static final Log logger = LogFactory.getLog(Commands.class);

	/**
	 * At most this many ids in one {@code revoke} or {@code query_task}: Celery's
	 * revoked-set limit.
	 */
	static final int MAX_IDS = RevokedTasks.DEFAULT_MAX_SIZE;

	/** The timer priority Celery reports for ETA tasks in {@code scheduled}. */
	private static final int ETA_PRIORITY = 6;

	private static final Map<String, Integer> SIGNALS = Map.of("SIGHUP", 1, "SIGINT", 2, "SIGQUIT", 3, "SIGKILL", 9,
			"SIGUSR1", 10, "SIGUSR2", 12, "SIGTERM", 15);

	private final String nodeName;

	private final ControlledWorker worker;

	private final RevokedTasks revoked;

	private final @Nullable WorkerEvents events;

	private final LamportClock clock;

	private final CeleryVersion version;

	private final Map<String, @Nullable Object> broker;

	private final long startNanos = System.nanoTime();

	Commands(String nodeName, ControlledWorker worker, RevokedTasks revoked, @Nullable WorkerEvents events,
			LamportClock clock, CeleryVersion version, Map<String, @Nullable Object> broker) {
		this.nodeName = nodeName;
		this.worker = worker;
		this.revoked = revoked;
		this.events = events;
		this.clock = clock;
		this.version = version;
		this.broker = broker;
	}

	/**
	 * Run a command.
	 * @param method the command's name
	 * @param arguments its keyword arguments as the request carried them
	 * @return the reply value
	 */
	@Nullable Object handle(String method, @Nullable Object arguments) {
		try {
			Arguments args = Arguments.of(method, arguments);
			return dispatch(method, args);
		}
		catch (CommandException ex) {
			return error(ex.getMessage());
		}
		catch (UnsupportedOperationException ex) {
			return error(PythonText.exception("NotImplementedError", ex.getMessage()));
		}
		catch (RuntimeException ex) {
			logger.warn("pidbox command error: " + method, ex);
			return error(PythonText.exception(ex));
		}
	}

	private @Nullable Object dispatch(String method, Arguments args) {
		return switch (method) {
			case "ping" -> ok("pong");
			case "stats" -> stats();
			case "active", "dump_active" -> requests(this.worker.active(), args.truthy("safe"));
			case "reserved", "dump_reserved" -> requests(this.worker.reserved(), false);
			case "scheduled", "dump_schedule" -> scheduled();
			case "query_task" -> queryTask(args.ids("ids"));
			case "revoked", "dump_revoked" -> this.revoked.list();
			case "registered", "dump_tasks" -> registered(args.strings("taskinfoitems"), args.truthy("builtins"));
			case "active_queues" -> activeQueues();
			case "conf", "dump_conf" -> new LinkedHashMap<>(this.worker.configuration());
			case "report" -> ok(report());
			case "clock" -> Map.of("clock", this.clock.value());
			case "hello" -> hello(args.requiredString("from_node"), args.map("revoked"));
			case "memsample" -> memory();
			case "memdump" -> "memory: " + memory();
			case "objgraph" -> throw new UnsupportedOperationException("objgraph is a Python debugging command");
			case "revoke" -> revoke(args.ids("task_id"), args.truthy("terminate"), args.value("signal"));
			case "terminate" -> revoke(args.ids("task_id"), true, args.value("signal"));
			case "revoke_by_stamped_headers" ->
				revokeByStamps(args.value("headers"), args.truthy("terminate"), args.value("signal"));
			case "rate_limit" -> rateLimit(args.requiredString("task_name"), args.value("rate_limit"));
			case "time_limit" ->
				timeLimit(args.requiredString("task_name"), args.seconds("soft"), args.seconds("hard"));
			case "add_consumer" -> addConsumer(args);
			case "cancel_consumer" -> cancelConsumer(args.requiredString("queue"));
			case "enable_events" ->
				ok(events().enableTaskEvents() ? "task events enabled" : "task events already enabled");
			case "disable_events" ->
				ok(events().disableTaskEvents() ? "task events disabled" : "task events already disabled");
			case "heartbeat" -> heartbeat();
			case "pool_grow" -> resize(args.count("n"), "grow");
			case "pool_shrink" -> resize(-args.count("n"), "shrink");
			case "autoscale" -> throw new CommandException(PythonText.exception("ValueError", "Autoscale not enabled"));
			case "pool_restart" ->
				throw new CommandException(PythonText.exception("ValueError", "Pool restarts not enabled"));
			case "shutdown" -> shutdown(args.optionalString("msg", "Got shutdown from remote"));
			case "election" -> null;
			default -> throw new CommandException(PythonText.exception("KeyError", method));
		};
	}

	// ---- inspect

	private Map<String, @Nullable Object> stats() {
		Map<String, @Nullable Object> stats = new LinkedHashMap<>();
		stats.put("total", new TreeMap<>(this.worker.totals()));
		stats.put("pid", ProcessIdentity.pid());
		stats.put("clock", Long.toString(this.clock.value()));
		stats.put("uptime", (System.nanoTime() - this.startNanos) / 1_000_000_000L);
		stats.put("pool", pool(this.worker.pool()));
		stats.put("broker", new LinkedHashMap<>(this.broker));
		stats.put("prefetch_count", this.worker.prefetchCount());
		stats.put("rusage", HostStatistics.rusage());
		return stats;
	}

	private static Map<String, @Nullable Object> pool(PoolInfo pool) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("implementation", pool.implementation());
		info.put("max-concurrency", pool.maxConcurrency());
		info.put("processes", List.of(ProcessIdentity.pid()));
		info.put("max-tasks-per-child", "N/A");
		info.put("put-guarded-by-semaphore", false);
		info.put("timeouts", List.of(seconds(pool.softTimeLimit()), seconds(pool.hardTimeLimit())));
		return info;
	}

	/** Celery writes 0 for no limit and the seconds otherwise. */
	private static Number seconds(@Nullable Duration duration) {
		if (duration == null) {
			return 0;
		}
		return (duration.toNanos() % 1_000_000_000L == 0) ? (Number) duration.toSeconds()
				: (Number) (duration.toNanos() / 1e9);
	}

	private List<Map<String, @Nullable Object>> requests(List<RequestInfo> requests, boolean safe) {
		List<Map<String, @Nullable Object>> infos = new ArrayList<>(requests.size());
		for (RequestInfo request : requests) {
			infos.add(info(request, safe));
		}
		return infos;
	}

	/** Celery's {@code Request.info()}. */
	Map<String, @Nullable Object> info(RequestInfo request, boolean safe) {
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("id", request.id());
		info.put("name", request.name());
		if (safe) {
			info.put("args", (request.argsRepr() != null) ? request.argsRepr() : PythonRepr.args(request.args()));
			info.put("kwargs",
					(request.kwargsRepr() != null) ? request.kwargsRepr() : PythonRepr.kwargs(request.kwargs()));
		}
		else {
			info.put("args", request.args());
			info.put("kwargs", request.kwargs());
		}
		info.put("type", request.name());
		info.put("hostname", this.nodeName);
		Instant started = request.startedAt();
		info.put("time_start", (started != null) ? EventMessages.seconds(started) : null);
		info.put("acknowledged", request.acknowledged());
		Map<String, @Nullable Object> delivery = new LinkedHashMap<>();
		delivery.put("exchange", request.exchange());
		delivery.put("routing_key", request.routingKey());
		delivery.put("priority", request.priority());
		delivery.put("redelivered", request.redelivered());
		info.put("delivery_info", delivery);
		info.put("worker_pid", request.workerPid());
		return info;
	}

	private List<Map<String, @Nullable Object>> scheduled() {
		List<Map<String, @Nullable Object>> scheduled = new ArrayList<>();
		for (RequestInfo request : this.worker.scheduled()) {
			Map<String, @Nullable Object> entry = new LinkedHashMap<>();
			entry.put("eta", (request.eta() != null) ? CeleryTime.formatAware(request.eta()) : null);
			entry.put("priority", ETA_PRIORITY);
			entry.put("request", info(request, false));
			scheduled.add(entry);
		}
		return scheduled;
	}

	private Map<String, List<Object>> queryTask(List<String> ids) {
		Set<String> wanted = new LinkedHashSet<>(ids);
		Map<String, List<Object>> found = new LinkedHashMap<>();
		collect(found, wanted, this.worker.active(), "active");
		collect(found, wanted, this.worker.reserved(), "reserved");
		collect(found, wanted, this.worker.scheduled(), "reserved");
		return found;
	}

	private void collect(Map<String, List<Object>> found, Set<String> wanted, List<RequestInfo> requests,
			String state) {
		for (RequestInfo request : requests) {
			if (wanted.contains(request.id()) && !found.containsKey(request.id())) {
				found.put(request.id(), List.of(state, info(request, false)));
			}
		}
	}

	private List<String> registered(List<String> items, boolean builtins) {
		List<String> names = new ArrayList<>();
		List<RegisteredTask> tasks = new ArrayList<>(this.worker.registered());
		tasks.sort((a, b) -> a.name().compareTo(b.name()));
		for (RegisteredTask task : tasks) {
			if (!builtins && task.name().startsWith("celery.")) {
				continue;
			}
			// Plain names unless items are asked for: Flower's Limits tab builds URLs
			// from
			// these strings, and Celery's default items would append the rate limit.
			List<String> fields = new ArrayList<>();
			for (String item : items) {
				Object value = task.attributes().get(item);
				if (value != null) {
					fields.add(item + "=" + PythonText.str(value));
				}
			}
			names.add(fields.isEmpty() ? task.name() : task.name() + " [" + String.join(" ", fields) + "]");
		}
		return names;
	}

	private List<Map<String, @Nullable Object>> activeQueues() {
		List<Map<String, @Nullable Object>> queues = new ArrayList<>();
		for (ConsumedQueue queue : this.worker.activeQueues()) {
			queues.add(queueInfo(queue));
		}
		return queues;
	}

	/** kombu's {@code Queue.as_dict(recurse=True)}. */
	static Map<String, @Nullable Object> queueInfo(ConsumedQueue queue) {
		Map<String, @Nullable Object> exchange = new LinkedHashMap<>();
		exchange.put("name", queue.exchange());
		exchange.put("type", queue.exchangeType());
		exchange.put("arguments", null);
		exchange.put("durable", true);
		exchange.put("passive", false);
		exchange.put("auto_delete", false);
		exchange.put("delivery_mode", null);
		exchange.put("no_declare", false);
		Map<String, @Nullable Object> arguments = queue.arguments();
		Map<String, @Nullable Object> info = new LinkedHashMap<>();
		info.put("name", queue.name());
		info.put("exchange", exchange);
		info.put("routing_key", queue.routingKey());
		info.put("queue_arguments", arguments.isEmpty() ? null : new LinkedHashMap<>(arguments));
		info.put("binding_arguments", null);
		info.put("consumer_arguments", null);
		info.put("durable", queue.durable());
		info.put("exclusive", queue.exclusive());
		info.put("auto_delete", queue.autoDelete());
		info.put("no_ack", false);
		info.put("alias", null);
		info.put("bindings", List.of());
		info.put("no_declare", null);
		info.put("expires", millisAsSeconds(arguments.get("x-expires")));
		info.put("message_ttl", millisAsSeconds(arguments.get("x-message-ttl")));
		info.put("max_length", arguments.get("x-max-length"));
		info.put("max_length_bytes", arguments.get("x-max-length-bytes"));
		info.put("max_priority", arguments.get("x-max-priority"));
		return info;
	}

	private static @Nullable Object millisAsSeconds(@Nullable Object millis) {
		return (millis instanceof Number number) ? number.doubleValue() / 1000 : null;
	}

	private String report() {
		Runtime runtime = Runtime.getRuntime();
		StringBuilder text = new StringBuilder("\n");
		text.append("software -> taskqueue:")
			.append(version(Commands.class))
			.append(" java:")
			.append(System.getProperty("java.version"))
			.append('\n');
		text.append("            spring-amqp:")
			.append(version(org.springframework.amqp.core.Message.class))
			.append(" amqp-client:")
			.append(version(com.rabbitmq.client.Channel.class))
			.append('\n');
		text.append("platform -> system:")
			.append(System.getProperty("os.name"))
			.append(" arch:")
			.append(System.getProperty("os.arch"))
			.append('\n');
		text.append("            kernel version:")
			.append(System.getProperty("os.version"))
			.append(" imp:")
			.append(System.getProperty("java.vm.name"))
			.append('\n');
		text.append("loader   -> ").append(ProcessIdentity.origin()).append('\n');
		text.append("settings -> transport:amqp processors:").append(runtime.availableProcessors()).append("\n\n");
		this.worker.configuration()
			.forEach((key, value) -> text.append(key).append(": ").append(PythonRepr.repr(value)).append('\n'));
		return text.toString();
	}

	private static String version(Class<?> type) {
		String version = type.getPackage().getImplementationVersion();
		return (version != null) ? version : "unknown";
	}

	private @Nullable Object hello(String fromNode, @Nullable Map<?, ?> revoked) {
		if (fromNode.equals(this.nodeName)) {
			return null;
		}
		logger.info("sync with " + fromNode);
		this.revoked.merge(revoked);
		Map<String, @Nullable Object> reply = new LinkedHashMap<>();
		reply.put("revoked", this.revoked.toHello());
		reply.put("clock", this.clock.forward());
		return reply;
	}

	/**
	 * Celery's {@code sample_mem()} with psutil: the resident size, e.g. {@code 51.04MB}.
	 */
	private static String memory() {
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		MemoryUsage other = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
		double megabytes = (heap.getUsed() + other.getUsed()) / (1024.0 * 1024.0);
		return String.format(Locale.ROOT, "%.2fMB", megabytes);
	}

	// ---- control

	private Map<String, Object> revoke(List<String> ids, boolean terminate, @Nullable Object signal) {
		Set<String> taskIds = new LinkedHashSet<>(ids);
		this.revoked.addAll(taskIds);
		if (terminate) {
			String name = signalName(signal);
			Set<String> terminated = this.worker.revoke(taskIds, name);
			logger.info("Terminating " + terminated + " (" + name + ")");
			return ok(
					terminated.isEmpty() ? "terminate: tasks unknown" : "terminate: " + String.join(", ", terminated));
		}
		this.worker.revoke(taskIds, null);
		String shown = this.version.setReprInRevokeReply() ? PythonText.set(taskIds) : String.join(", ", taskIds);
		logger.info("Tasks flagged as revoked: " + String.join(", ", taskIds));
		return ok("tasks " + shown + " flagged as revoked");
	}

	private Map<String, Object> revokeByStamps(@Nullable Object headers, boolean terminate, @Nullable Object signal) {
		Map<String, List<String>> stamps = new LinkedHashMap<>();
		if (headers instanceof Map<?, ?> map) {
			map.forEach((key, value) -> stamps.put(String.valueOf(key), stampValues(value)));
		}
		else if (headers instanceof List<?> list) {
			for (Object pair : list) {
				String text = String.valueOf(pair);
				int equals = text.indexOf('=');
				if (equals <= 0) {
					throw new CommandException(
							PythonText.exception("ValueError", "stamped header '" + text + "' is not key=value"));
				}
				stamps.computeIfAbsent(text.substring(0, equals), (key) -> new ArrayList<>())
					.add(text.substring(equals + 1));
			}
		}
		else {
			throw new CommandException(PythonText.exception("TypeError",
					"headers must be a dict of stamps or a list of key=value, got " + PythonRepr.repr(headers)));
		}
		String shown = PythonRepr.repr((headers instanceof Map<?, ?>) ? headers : stamps);
		if (!terminate) {
			this.worker.revokeByStamps(stamps, null);
			return ok("headers " + shown + " flagged as revoked, but not terminated");
		}
		Set<String> terminated = this.worker.revokeByStamps(stamps, signalName(signal));
		return ok(terminated.isEmpty() ? "headers " + shown + " were not terminated" : "headers " + shown + " revoked");
	}

	private static List<String> stampValues(@Nullable Object value) {
		List<String> values = new ArrayList<>();
		if (value instanceof List<?> list) {
			list.forEach((v) -> values.add(PythonText.str(v)));
		}
		else {
			values.add(PythonText.str(value));
		}
		return values;
	}

	/**
	 * A signal as Celery's {@code signals.signum} accepts it: a number, or an upper-case
	 * name with or without {@code SIG}; none means TERM.
	 */
	static String signalName(@Nullable Object signal) {
		if (signal == null || "".equals(signal)) {
			return "SIGTERM";
		}
		if (signal instanceof Number number) {
			for (Map.Entry<String, Integer> entry : SIGNALS.entrySet()) {
				if (entry.getValue() == number.intValue()) {
					return entry.getKey();
				}
			}
			return "SIG" + number.intValue();
		}
		String name = String.valueOf(signal);
		if (!name.equals(name.toUpperCase(Locale.ROOT)) || !(signal instanceof String)) {
			throw new CommandException(PythonText.exception("TypeError", "signal name must be uppercase string."));
		}
		String full = name.startsWith("SIG") ? name : "SIG" + name;
		if (!SIGNALS.containsKey(full)) {
			throw new CommandException(
					PythonText.exception("AttributeError", "module 'signal' has no attribute '" + full + "'"));
		}
		return full;
	}

	/**
	 * The number of a signal name, as {@code task-revoked}'s {@code signum} carries it.
	 * @param name a name {@link #signalName} returned
	 * @return the number, or {@code null} if it is not one Celery's workers use
	 */
	static @Nullable Integer signum(String name) {
		return SIGNALS.get(name);
	}

	private Map<String, Object> rateLimit(String taskName, @Nullable Object rateLimit) {
		RateLimit limit = celeryRate(rateLimit);
		if (!this.worker.rateLimit(taskName, limit)) {
			logger.error("Rate limit attempt for unknown task " + taskName);
			return error("unknown task");
		}
		if (!truthy(rateLimit)) {
			logger.info("Rate limits disabled for tasks of type " + taskName);
			return ok("rate limit disabled successfully");
		}
		logger.info("New rate limit for tasks of type " + taskName + ": " + rateLimit + ".");
		return ok("new rate limit set successfully");
	}

	/**
	 * Celery's {@code rate()}: {@code "<float>[/s|/m|/h]"} or a number of starts per
	 * second; anything falsy (and a rate of 0) means no limit.
	 */
	static @Nullable RateLimit celeryRate(@Nullable Object value) {
		if (!truthy(value)) {
			return null;
		}
		double permits;
		Duration per = Duration.ofSeconds(1);
		if (value instanceof Number number) {
			permits = number.doubleValue();
		}
		else if (value instanceof String text) {
			int slash = text.indexOf('/');
			String ops = (slash >= 0) ? text.substring(0, slash) : text;
			String modifier = (slash >= 0) ? text.substring(slash + 1) : "s";
			try {
				permits = Double.parseDouble(ops.trim());
			}
			catch (NumberFormatException ex) {
				throw new CommandException("Invalid rate limit string: " + PythonText.exception("ValueError",
						"could not convert string to float: " + PythonRepr.repr(ops)));
			}
			per = switch (modifier.isEmpty() ? "s" : modifier) {
				case "s" -> Duration.ofSeconds(1);
				case "m" -> Duration.ofMinutes(1);
				case "h" -> Duration.ofHours(1);
				default -> throw new CommandException(PythonText.exception("KeyError", modifier));
			};
		}
		else {
			throw new CommandException(PythonText.exception("TypeError",
					"rate_limit must be a string such as '10/m' or a number, got " + PythonRepr.repr(value)));
		}
		if (permits == 0) {
			return null;
		}
		if (!(permits > 0) || Double.isInfinite(permits)) {
			throw new CommandException("Invalid rate limit string: " + PythonText.exception("ValueError",
					"a rate limit must be positive, got " + PythonRepr.repr(value)));
		}
		return new RateLimit(permits, per);
	}

	private Map<String, Object> timeLimit(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		if (!this.worker.timeLimits(taskName, soft, hard)) {
			logger.error("Change time limit attempt for unknown task " + taskName);
			return error("unknown task");
		}
		logger.info("New time limits for tasks of type " + taskName + ": soft=" + soft + " hard=" + hard);
		return ok("time limits set successfully");
	}

	private Map<String, Object> addConsumer(Arguments args) {
		String queue = args.requiredString("queue");
		String exchange = args.optionalString("exchange", queue);
		String type = args.optionalString("exchange_type", "direct");
		String routingKey = args.optionalString("routing_key", queue);
		Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
		Map<?, ?> given = args.map("queue_arguments");
		if (given != null) {
			given.forEach((key, value) -> arguments.put(String.valueOf(key), value));
		}
		boolean durable = args.flag("queue_durable", args.flag("durable", true));
		ConsumedQueue consumed = new ConsumedQueue(queue, exchange, type, routingKey, durable,
				args.flag("exclusive", false), args.flag("auto_delete", false), arguments);
		this.worker.addConsumer(consumed);
		return ok("add consumer " + queue);
	}

	private Map<String, Object> cancelConsumer(String queue) {
		this.worker.cancelConsumer(queue);
		return ok("no longer consuming from " + queue);
	}

	private WorkerEvents events() {
		if (this.events == null) {
			throw new UnsupportedOperationException("this node sends no events");
		}
		return this.events;
	}

	private @Nullable Object heartbeat() {
		events().heartbeatOnDemand();
		return null;
	}

	private Map<String, Object> resize(int delta, String verb) {
		this.worker.resizePool(delta);
		return ok("pool will " + verb);
	}

	private Map<String, Object> shutdown(String message) {
		logger.warn(message);
		if (!this.worker.shutdown(message)) {
			return error(PythonText.exception("ValueError", "Remote shutdown is refused by this worker"));
		}
		return ok("Warm shutdown");
	}

	// ---- replies

	static Map<String, Object> ok(String text) {
		return Map.of("ok", text);
	}

	static Map<String, Object> error(String text) {
		return Map.of("error", text);
	}

	/** Python's truthiness of a JSON value. */
	static boolean truthy(@Nullable Object value) {
		if (value == null) {
			return false;
		}
		if (value instanceof Boolean b) {
			return b;
		}
		if (value instanceof Number n) {
			return n.doubleValue() != 0;
		}
		if (value instanceof String s) {
			return !s.isEmpty();
		}
		if (value instanceof List<?> l) {
			return !l.isEmpty();
		}
		if (value instanceof Map<?, ?> m) {
			return !m.isEmpty();
		}
		return true;
	}

	/** A command's keyword arguments, read with Celery's leniency and its error texts. */
	private static final class Arguments {

		private final String method;

		private final Map<?, ?> values;

		private Arguments(String method, Map<?, ?> values) {
			this.method = method;
			this.values = values;
		}

		static Arguments of(String method, @Nullable Object arguments) {
			if (arguments == null) {
				return new Arguments(method, Map.of());
			}
			if (arguments instanceof Map<?, ?> map) {
				return new Arguments(method, map);
			}
			throw new CommandException(PythonText.exception("TypeError",
					method + "() argument after ** must be a mapping, not " + pythonType(arguments)));
		}

		@Nullable Object value(String name) {
			return this.values.get(name);
		}

		boolean truthy(String name) {
			return Commands.truthy(value(name));
		}

		boolean flag(String name, boolean otherwise) {
			return this.values.containsKey(name) ? truthy(name) : otherwise;
		}

		String requiredString(String name) {
			Object value = value(name);
			if (value == null) {
				throw new CommandException(PythonText.exception("TypeError",
						this.method + "() missing 1 required positional argument: '" + name + "'"));
			}
			if (!(value instanceof String text)) {
				throw new CommandException(PythonText.exception("TypeError",
						"argument '" + name + "' of " + this.method + "() must be str, not " + pythonType(value)));
			}
			return text;
		}

		String optionalString(String name, String otherwise) {
			return (value(name) == null) ? otherwise : requiredString(name);
		}

		/** A string or a list of strings, as Celery's {@code maybe_list}. */
		List<String> ids(String name) {
			Object value = value(name);
			if (value == null) {
				if (!this.values.containsKey(name)) {
					throw new CommandException(PythonText.exception("TypeError",
							this.method + "() missing 1 required positional argument: '" + name + "'"));
				}
				return List.of();
			}
			return strings(name);
		}

		List<String> strings(String name) {
			Object value = value(name);
			if (value == null) {
				return List.of();
			}
			List<?> list = (value instanceof List<?> l) ? l : List.of(value);
			if (list.size() > MAX_IDS) {
				throw new CommandException(PythonText.exception("ValueError", "argument '" + name + "' of "
						+ this.method + "() has " + list.size() + " items, more than " + MAX_IDS));
			}
			List<String> strings = new ArrayList<>(list.size());
			for (Object item : list) {
				if (!(item instanceof String text)) {
					throw new CommandException(PythonText.exception("TypeError", "argument '" + name + "' of "
							+ this.method + "() must hold strings, not " + pythonType(item)));
				}
				strings.add(text);
			}
			return strings;
		}

		@Nullable Map<?, ?> map(String name) {
			Object value = value(name);
			if (value == null) {
				return null;
			}
			if (value instanceof Map<?, ?> map) {
				return map;
			}
			throw new CommandException(PythonText.exception("TypeError",
					"argument '" + name + "' of " + this.method + "() must be a dict, not " + pythonType(value)));
		}

		@Nullable Duration seconds(String name) {
			Object value = value(name);
			if (value == null) {
				return null;
			}
			if (!(value instanceof Number number) || value instanceof Boolean) {
				throw new CommandException(PythonText.exception("TypeError", "argument '" + name + "' of " + this.method
						+ "() must be a number of seconds, not " + pythonType(value)));
			}
			double seconds = number.doubleValue();
			if (!(seconds >= 0) || Double.isInfinite(seconds)) {
				throw new CommandException(PythonText.exception("ValueError", "argument '" + name + "' of "
						+ this.method + "() must be a non-negative number of seconds, got " + PythonRepr.repr(value)));
			}
			return Duration.ofNanos((long) (seconds * 1e9));
		}

		/** A positive count, 1 when absent ({@code pool_grow}'s {@code n}). */
		int count(String name) {
			Object value = value(name);
			if (value == null) {
				return 1;
			}
			if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 1
					|| ((Number) value).longValue() > 10_000) {
				throw new CommandException(PythonText.exception("ValueError", "argument '" + name + "' of "
						+ this.method + "() must be a whole number from 1 to 10000, got " + PythonRepr.repr(value)));
			}
			return ((Number) value).intValue();
		}

		private static String pythonType(@Nullable Object value) {
			if (value == null) {
				return "NoneType";
			}
			if (value instanceof String) {
				return "str";
			}
			if (value instanceof Boolean) {
				return "bool";
			}
			if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
				return "int";
			}
			if (value instanceof Number) {
				return "float";
			}
			if (value instanceof List<?>) {
				return "list";
			}
			if (value instanceof Map<?, ?>) {
				return "dict";
			}
			return value.getClass().getSimpleName();
		}

	}

	/** A command failed with a Python error repr as its reply text. */
	static final class CommandException extends RuntimeException {

		CommandException(String text) {
			super(text);
		}

	}

}
