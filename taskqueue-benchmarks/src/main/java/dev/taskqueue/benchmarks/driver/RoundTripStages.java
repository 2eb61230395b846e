package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.taskqueue.benchmarks.stats.Samples;

/**
 * The stage breakdown of sequential round trips ({@code --stages}): per sample, the
 * wall-clock micros of each point both sides noted, and per stage (from one point to a
 * later one) the p50 and p99 over the samples, printed as a table and kept as figures
 * ({@code stage.<name>.p50} / {@code .p99}, milliseconds).
 * <p>
 * Points of one JVM are compared with {@link dev.taskqueue.benchmarks.stages.WallClock}
 * as well as those of two: every process runs on this machine and reads the same realtime
 * clock.
 */
final class RoundTripStages {

	/** Send called. */
	static final String SEND = "send";

	/** The publish written to the socket (the RabbitMQ client's hook). */
	static final String PUBLISHED = "published";

	/** The broker's confirm arrived on the connection's thread. */
	static final String CONFIRMED = "confirmed";

	/** Send returned to the caller. */
	static final String SENT = "sent";

	/** The delivery arrived on the worker's connection. */
	static final String DELIVERED = "delivered";

	/** A consumer thread of the worker took the message. */
	static final String TAKEN = "taken";

	/** The task is about to run: decoded and admitted (TaskListener.beforeStart). */
	static final String STARTED = "started";

	/** The task returned and its result's store was sent (TaskListener.afterReturn). */
	static final String RETURNED = "returned";

	/** The consumer thread was done with the message. */
	static final String LEFT = "left";

	/** The message was acknowledged (after the store's reply). */
	static final String ACKED = "acked";

	/**
	 * The result's notification arrived at the driver's own subscriber (a connection
	 * apart from the client's).
	 */
	static final String NOTIFIED = "notified";

	/** The caller's get() returned. */
	static final String DONE = "done";

	/**
	 * Not a point of its own: the later of {@link #NOTIFIED} and {@link #SENT}, when
	 * get() has both what it waits for.
	 */
	static final String READY = "ready";

	private static final List<Stage> TASKQUEUE = List.of(
			new Stage("send.prepare", "client: send() called -> publish written", SEND, PUBLISHED, true),
			new Stage("send.confirm", "broker: publish written -> confirm arrived", PUBLISHED, CONFIRMED, true),
			new Stage("send.wake", "client: confirm arrived -> send() returns", CONFIRMED, SENT, true),
			new Stage("deliver", "broker: publish written -> delivery at the worker", PUBLISHED, DELIVERED, true),
			new Stage("worker.handoff", "worker: delivery -> consumer thread", DELIVERED, TAKEN, true),
			new Stage("worker.decode", "worker: consumer thread -> task starts (decode)", TAKEN, STARTED, true),
			new Stage("worker.invoke", "worker: task starts -> returned, store sent (bind, invoke)", STARTED, RETURNED,
					true),
			new Stage("store.notify", "Redis: store sent -> notification at a subscriber", RETURNED, NOTIFIED, true),
			new Stage("get.ready", "client: notification and send() return -> get() returns", READY, DONE, true),
			new Stage("get", "client: send() returns -> get() returns", SENT, DONE, false),
			new Stage("get.stored", "client: send() returns -> get() returns, result stored by then", SENT, DONE, false,
					Filter.STORED),
			new Stage("get.waited", "client: notification -> get() returns, get() waited for it", NOTIFIED, DONE, false,
					Filter.WAITED),
			new Stage("worker.ack", "worker: store sent -> acknowledged (store reply)", RETURNED, ACKED, false),
			new Stage("ack.confirm", "broker: worker's ack -> confirm arrived", ACKED, CONFIRMED, false),
			new Stage("worker.free", "worker: store sent -> consumer thread free", RETURNED, LEFT, false),
			new Stage("total", "round trip: send() called -> get() returns", SEND, DONE, false));

	private static final List<Stage> RAW = List.of(
			new Stage("send.prepare", "client: send called -> publish written", SEND, PUBLISHED, true),
			new Stage("send.confirm", "broker: publish written -> confirm arrived", PUBLISHED, CONFIRMED, true),
			new Stage("send.wake", "client: confirm arrived -> send returns", CONFIRMED, SENT, true),
			new Stage("notify", "publish written -> notification (consumer, Redis)", PUBLISHED, NOTIFIED, false),
			new Stage("total", "round trip: send called -> notification or confirm", SEND, DONE, false));

	private final String system;

	private final List<Stage> stages;

	private final List<Map<String, Long>> samples = new ArrayList<>();

	private RoundTripStages(String system, List<Stage> stages) {
		this.system = system;
		this.stages = stages;
	}

	static RoundTripStages taskqueue() {
		return new RoundTripStages(Results.TASKQUEUE, TASKQUEUE);
	}

	static RoundTripStages raw() {
		return new RoundTripStages(Results.RAW, RAW);
	}

	/**
	 * Add one round trip's points (wall-clock micros; a point missing or 0 leaves the
	 * stages that need it out of this sample).
	 * @param points the points by name
	 */
	void add(Map<String, Long> points) {
		this.samples.add(points);
	}

	int size() {
		return this.samples.size();
	}

	/**
	 * Print the table, record p50 and p99 of every stage as figures, and write every
	 * round trip's points to a CSV file for a closer look.
	 * @param results where the figures go
	 * @param load the load average before the round trips
	 * @param csv where to write the points
	 * @throws IOException if the file cannot be written
	 */
	void record(Results results, String load, Path csv) throws IOException {
		writeCsv(csv);
		Report.line("%s stages over %d round trips (ms; wall clock, both processes on this machine):", this.system,
				this.samples.size());
		Report.line("  %-62s %8s %8s %8s %7s %10s", "stage", "p50", "p90", "p99", "n", "slow 1%");
		List<Map<String, Long>> slowest = slowest();
		for (Stage stage : this.stages) {
			List<Double> millis = stage.millis(this.samples);
			if (millis.isEmpty()) {
				Report.line("  %-62s %8s %8s %8s %7d %10s", (stage.onPath ? "" : "  ") + stage.label, "-", "-", "-", 0,
						"-");
				continue;
			}
			Samples values = Samples.of(millis);
			List<Double> slow = stage.millis(slowest);
			double slowMedian = slow.isEmpty() ? Double.NaN : Samples.of(slow).median();
			Report.line("  %-62s %8.3f %8.3f %8.3f %7d %10.3f", (stage.onPath ? "" : "  ") + stage.label,
					values.percentile(50), values.percentile(90), values.percentile(99), values.count(), slowMedian);
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("label", stage.label);
			detail.put("samples", values.count());
			detail.put("p90", values.percentile(90));
			detail.put("max", values.max());
			detail.put("medianOfSlowest1Percent", slowMedian);
			results.figure(this.system, "stage." + stage.key + ".p50", "ms").add(values.percentile(50), load, detail);
			results.figure(this.system, "stage." + stage.key + ".p99", "ms").add(values.percentile(99), load, Map.of());
		}
		Report.line("  (indented: off the critical path, or spans of the stages above; slow 1%%: the stage's "
				+ "median over the slowest 1%% of round trips)");
	}

	private void writeCsv(Path csv) throws IOException {
		Set<String> columns = new LinkedHashSet<>();
		this.samples.forEach((sample) -> columns.addAll(sample.keySet()));
		List<String> lines = new ArrayList<>();
		lines.add(String.join(",", columns));
		for (Map<String, Long> sample : this.samples) {
			lines.add(columns.stream()
				.map((column) -> String.valueOf(sample.getOrDefault(column, 0L)))
				.collect(Collectors.joining(",")));
		}
		Files.createDirectories(csv.toAbsolutePath().getParent());
		Files.write(csv, lines);
		Report.line("  every round trip's points (wall-clock micros): %s", csv);
	}

	/** The slowest 1% of the round trips (at least one). */
	private List<Map<String, Long>> slowest() {
		List<Map<String, Long>> sorted = new ArrayList<>(this.samples);
		sorted.sort(java.util.Comparator
			.comparingLong((Map<String, Long> sample) -> sample.getOrDefault(DONE, 0L) - sample.getOrDefault(SEND, 0L))
			.reversed());
		return sorted.subList(0, Math.max(1, sorted.size() / 100));
	}

	/**
	 * Return the stages' keys and labels of a system, in order, for the summary table.
	 * @param system the system
	 * @return key to label
	 */
	static Map<String, String> labels(String system) {
		Map<String, String> labels = new LinkedHashMap<>();
		for (Stage stage : Results.RAW.equals(system) ? RAW : TASKQUEUE) {
			labels.put(stage.key, stage.label);
		}
		return labels;
	}

	/**
	 * A stage: from one point to a later one.
	 *
	 * @param key its name in the figures
	 * @param label its name in the table
	 * @param from the point it starts at
	 * @param to the point it ends at
	 * @param onPath whether it is one of the consecutive stages of the critical path
	 * @param filter which round trips it counts
	 */
	private record Stage(String key, String label, String from, String to, boolean onPath, Filter filter) {

		Stage(String key, String label, String from, String to, boolean onPath) {
			this(key, label, from, to, onPath, Filter.ALL);
		}

		List<Double> millis(List<Map<String, Long>> samples) {
			List<Double> millis = new ArrayList<>(samples.size());
			for (Map<String, Long> sample : samples) {
				long from = point(sample, this.from);
				long to = point(sample, this.to);
				if (from > 0 && to > 0 && this.filter.test(sample)) {
					millis.add((to - from) / 1000.0);
				}
			}
			return millis;
		}

	}

	private static long point(Map<String, Long> sample, String name) {
		if (READY.equals(name)) {
			long notified = sample.getOrDefault(NOTIFIED, 0L);
			long sent = sample.getOrDefault(SENT, 0L);
			return (notified > 0 && sent > 0) ? Math.max(notified, sent) : 0;
		}
		return sample.getOrDefault(name, 0L);
	}

	/**
	 * Which round trips a stage counts.
	 */
	private enum Filter {

		/** Every round trip. */
		ALL,

		/** Those whose result was stored by the time send() returned. */
		STORED,

		/** Those whose get() had to wait for the result's notification. */
		WAITED;

		boolean test(Map<String, Long> sample) {
			if (this == ALL) {
				return true;
			}
			boolean stored = sample.getOrDefault(NOTIFIED, 0L) <= sample.getOrDefault(SENT, 0L);
			return (this == STORED) == stored;
		}

	}

}
