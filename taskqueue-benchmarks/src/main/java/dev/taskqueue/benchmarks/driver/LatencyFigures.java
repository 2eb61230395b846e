package dev.taskqueue.benchmarks.driver;

import java.util.List;
import java.util.Map;

import dev.taskqueue.benchmarks.stats.Samples;

/**
 * Percentiles of one repetition of round trips, recorded as figures.
 */
final class LatencyFigures {

	private LatencyFigures() {
	}

	static void record(Results results, String system, List<Double> millis, String load) {
		Samples samples = Samples.of(millis);
		Map<String, Object> detail = Map.of("samples", samples.count(), "mean", samples.mean(), "min", samples.min());
		results.figure(system, "latency.p50", "ms").add(samples.percentile(50), load, detail);
		results.figure(system, "latency.p90", "ms").add(samples.percentile(90), load, Map.of());
		results.figure(system, "latency.p99", "ms").add(samples.percentile(99), load, Map.of());
		results.figure(system, "latency.max", "ms").add(samples.max(), load, Map.of());
		Report.line("%s round trip (%d samples): p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f, mean %.3f; load %s -> %s",
				system, samples.count(), samples.percentile(50), samples.percentile(90), samples.percentile(99),
				samples.max(), samples.mean(), load, Machine.loadavg());
	}

	/**
	 * Record how long each round trip's publish took until the broker confirmed it.
	 * @param results where the figures go
	 * @param system the system measured
	 * @param what how the report names the publish
	 * @param millis one duration per round trip
	 * @param load the load average before the round trips
	 */
	/**
	 * Record the raw round trips as ended when the waiting caller has the notification,
	 * rather than when the Redis client's thread received it: the end a
	 * {@code send().get()} is measured at.
	 * @param results where the figures go
	 * @param system the system measured
	 * @param millis one duration per round trip
	 * @param load the load average before the round trips
	 */
	static void recordWoken(Results results, String system, List<Double> millis, String load) {
		Samples samples = Samples.of(millis);
		Report.line("  until the caller has the notification in hand: p50 %.3f ms, p99 %.3f ms", samples.percentile(50),
				samples.percentile(99));
		results.figure(system, "latency.woken.p50", "ms").add(samples.percentile(50), load, Map.of());
		results.figure(system, "latency.woken.p99", "ms").add(samples.percentile(99), load, Map.of());
	}

	/**
	 * Record the raw round trips that subscribed to each record's own channel.
	 * @param results where the figures go
	 * @param system the system measured
	 * @param millis one duration per round trip
	 * @param load the load average before the round trips
	 */
	static void recordSubscribed(Results results, String system, List<Double> millis, String load) {
		Samples samples = Samples.of(millis);
		Report.line("  subscribing to each record's channel (%d samples): p50 %.3f ms, p99 %.3f ms", samples.count(),
				samples.percentile(50), samples.percentile(99));
		results.figure(system, "latency.subscribed.p50", "ms").add(samples.percentile(50), load, Map.of());
		results.figure(system, "latency.subscribed.p99", "ms").add(samples.percentile(99), load, Map.of());
	}

	static void recordPublish(Results results, String system, String what, List<Double> millis, String load) {
		Samples samples = Samples.of(millis);
		Report.line("  of which %s: p50 %.3f ms, p99 %.3f ms", what, samples.percentile(50), samples.percentile(99));
		results.figure(system, "latency.send.p50", "ms").add(samples.percentile(50), load, Map.of());
		results.figure(system, "latency.send.p99", "ms").add(samples.percentile(99), load, Map.of());
	}

}
