package dev.taskqueue.benchmarks.driver;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every figure of a run, the table printed from them and the JSON written from them.
 */
final class Results {

	static final String TASKQUEUE = "taskqueue";

	static final String RAW = "raw";

	static final String CELERY = "celery";

	private final Map<String, Figure> figures = new LinkedHashMap<>();

	final Map<String, Object> info = new LinkedHashMap<>();

	final List<String> notes = new ArrayList<>();

	Figure figure(String system, String metric, String unit) {
		return this.figures.computeIfAbsent(system + "/" + metric, (key) -> new Figure(system, metric, unit));
	}

	@Nullable Figure find(String system, String metric) {
		Figure figure = this.figures.get(system + "/" + metric);
		return (figure != null && !figure.isEmpty()) ? figure : null;
	}

	void print(PrintStream out) {
		Object celery = this.info.get("celeryVersion");
		String[] header = { "", "taskqueue", "raw Spring AMQP", (celery != null) ? "Celery " + celery : "Celery",
				"target" };
		List<String[]> rows = new ArrayList<>();
		rows.add(row("drain, results stored (tasks/s)", "drain.results", "drain.results", Results::rate, ">= 10,000"));
		rows.add(row("drain, results ignored (tasks/s)", "drain.ignored", "drain", Results::rate, ">= 15,000"));
		rows.add(fraction("  % of raw drain (stored / ignored)"));
		rows.add(row("publish alone (tasks/s)", "publish", "publish", Results::rate, ""));
		rows.add(row("worker alone, results stored (tasks/s)", "consume.results", "consume", Results::rate, ""));
		rows.add(row("worker alone, results ignored (tasks/s)", "consume.ignored", "consume", Results::rate, ""));
		rows.add(row("round trip p50 (ms)", "latency.p50", "latency.p50", Results::millis, "<= 0.5"));
		rows.add(row("round trip p90 (ms)", "latency.p90", "latency.p90", Results::millis, ""));
		rows.add(row("round trip p99 (ms)", "latency.p99", "latency.p99", Results::millis, "<= 2"));
		rows.add(row("round trip max (ms)", "latency.max", "latency.max", Results::millis, ""));
		rows.add(row("  of which publish until confirmed, p50 (ms)", "latency.send.p50", "latency.send.p50",
				Results::millis, ""));
		// The raw round trip above ends as the Redis client's thread receives the
		// notification; these end when the waiting caller has it, as get() does.
		rows.add(rawOnly("  raw until its caller has the notification, p50 (ms)", "latency.woken.p50"));
		rows.add(rawOnly("  raw until its caller has the notification, p99 (ms)", "latency.woken.p99"));
		rows.add(rawOnly("  raw subscribing to each record's channel, p50 (ms)", "latency.subscribed.p50"));
		rows.add(rawOnly("  raw subscribing to each record's channel, p99 (ms)", "latency.subscribed.p99"));
		rows.add(row("worker RSS after drain, stored (MB)", "rss.results", null, Results::megabytes, "<= 300"));
		rows.add(row("worker RSS after drain, ignored (MB)", "rss.ignored", null, Results::megabytes, "<= 300"));
		rows.add(row("worker heap after GC, stored (MB)", "heap.results", null, Results::megabytes, ""));
		rows.add(row("worker heap after GC, ignored (MB)", "heap.ignored", null, Results::megabytes, ""));
		int[] widths = new int[header.length];
		for (String[] r : concat(header, rows)) {
			for (int i = 0; i < r.length; i++) {
				widths[i] = Math.max(widths[i], r[i].length());
			}
		}
		out.println();
		printRow(out, header, widths);
		StringBuilder rule = new StringBuilder();
		for (int width : widths) {
			rule.append("-".repeat(width)).append("  ");
		}
		out.println(rule.toString().stripTrailing());
		for (String[] r : rows) {
			printRow(out, r, widths);
		}
		out.println();
		out.println("Median of " + this.info.get("reps") + " repetitions; [min-max] when they differ. "
				+ "RSS and heap: per drain, in order.");
		out.println("Raw Spring AMQP: results stored = acked after a Redis SETEX + PUBLISH of a result-sized "
				+ "record; results ignored = acked on arrival; round trip = publish, confirm, then that record's "
				+ "notification.");
		for (String note : this.notes) {
			out.println("- " + note);
		}
		printStages(out);
	}

	/**
	 * The stage breakdown's medians over the repetitions, when it was measured.
	 */
	private void printStages(PrintStream out) {
		for (String system : List.of(TASKQUEUE, RAW)) {
			Map<String, String> labels = RoundTripStages.labels(system);
			if (labels.keySet().stream().noneMatch((key) -> find(system, "stage." + key + ".p50") != null)) {
				continue;
			}
			out.println();
			out.println(system + " round trip stages (ms, median of the repetitions):");
			out.println(String.format(Locale.ROOT, "  %-62s %8s %8s", "stage", "p50", "p99"));
			labels.forEach((key, label) -> {
				Figure p50 = find(system, "stage." + key + ".p50");
				Figure p99 = find(system, "stage." + key + ".p99");
				if (p50 != null && p99 != null) {
					out.println(String.format(Locale.ROOT, "  %-62s %8.3f %8.3f", label, p50.median(), p99.median()));
				}
			});
		}
	}

	private String[] rawOnly(String label, String rawMetric) {
		Figure raw = find(RAW, rawMetric);
		return new String[] { label, "-", (raw != null) ? millis(raw) : "", "-", "" };
	}

	private String[] row(String label, String metric, @Nullable String rawMetric, Function<Figure, String> format,
			String target) {
		Figure ours = find(TASKQUEUE, metric);
		Figure raw = (rawMetric != null) ? find(RAW, rawMetric) : null;
		Figure celery = find(CELERY, metric);
		return new String[] { label, (ours != null) ? format.apply(ours) : "-", (raw != null) ? format.apply(raw) : "",
				(celery != null) ? format.apply(celery) : "-", target };
	}

	/**
	 * Each drain against the raw drain of its kind: stored against stored, ignored
	 * against acked at once.
	 */
	private String[] fraction(String label) {
		Figure rawStored = find(RAW, "drain.results");
		Figure rawIgnored = find(RAW, "drain");
		if (rawStored == null && rawIgnored == null) {
			return new String[] { label, "-", "", "", "" };
		}
		return new String[] { label,
				percent(find(TASKQUEUE, "drain.results"), rawStored) + " / "
						+ percent(find(TASKQUEUE, "drain.ignored"), rawIgnored),
				"100%", percent(find(CELERY, "drain.results"), rawStored) + " / "
						+ percent(find(CELERY, "drain.ignored"), rawIgnored),
				"" };
	}

	private static String percent(@Nullable Figure figure, @Nullable Figure raw) {
		return (figure != null && raw != null)
				? String.format(Locale.ROOT, "%.0f%%", 100 * figure.median() / raw.median()) : "-";
	}

	static String rate(Figure figure) {
		return spread(figure, (v) -> String.format(Locale.ROOT, "%,.0f", v));
	}

	static String millis(Figure figure) {
		return spread(figure, (v) -> String.format(Locale.ROOT, "%.2f", v));
	}

	static String megabytes(Figure figure) {
		StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%.0f", figure.median() / 1e6));
		if (figure.runs.size() > 1) {
			text.append(" (");
			List<Double> values = figure.values();
			for (int i = 0; i < values.size(); i++) {
				text.append((i > 0) ? ", " : "").append(String.format(Locale.ROOT, "%.0f", values.get(i) / 1e6));
			}
			text.append(')');
		}
		return text.toString();
	}

	private static String spread(Figure figure, Function<Double, String> format) {
		String median = format.apply(figure.median());
		if (figure.runs.size() < 2) {
			return median;
		}
		String min = format.apply(figure.min());
		String max = format.apply(figure.max());
		return min.equals(max) ? median : median + " [" + min + "-" + max + "]";
	}

	private static List<String[]> concat(String[] header, List<String[]> rows) {
		List<String[]> all = new ArrayList<>(rows);
		all.add(header);
		return all;
	}

	private static void printRow(PrintStream out, String[] cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < cells.length; i++) {
			String cell = cells[i];
			line.append((i == 0) ? pad(cell, widths[i]) : padLeft(cell, widths[i])).append("  ");
		}
		out.println(line.toString().stripTrailing());
	}

	private static String pad(String text, int width) {
		return text + " ".repeat(width - text.length());
	}

	private static String padLeft(String text, int width) {
		return " ".repeat(width - text.length()) + text;
	}

	void write(Path file) throws IOException {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("info", this.info);
		json.put("notes", this.notes);
		Map<String, Object> medians = new LinkedHashMap<>();
		List<Object> all = new ArrayList<>();
		for (Figure figure : this.figures.values()) {
			if (figure.isEmpty()) {
				continue;
			}
			medians.computeIfAbsent(figure.system, (s) -> new LinkedHashMap<String, Object>());
			@SuppressWarnings("unchecked")
			Map<String, Object> system = (Map<String, Object>) medians.get(figure.system);
			system.put(figure.metric, Map.of("median", figure.median(), "unit", figure.unit));
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("system", figure.system);
			entry.put("metric", figure.metric);
			entry.put("unit", figure.unit);
			entry.put("median", figure.median());
			entry.put("runs", figure.runs);
			all.add(entry);
		}
		json.put("medians", medians);
		json.put("figures", all);
		Files.createDirectories(file.toAbsolutePath().getParent());
		JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(file.toFile(), json);
	}

}
