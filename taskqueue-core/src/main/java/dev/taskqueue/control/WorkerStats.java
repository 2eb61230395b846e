package dev.taskqueue.control;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A node's statistics, from Celery's {@code stats} reply.
 *
 * @param total how many tasks of each name it accepted since it started
 * @param pid its main process id
 * @param clock its logical clock
 * @param uptime seconds since it started
 * @param pool how it runs tasks ({@code implementation}, {@code max-concurrency},
 * {@code processes} ...), as the node describes it
 * @param broker its broker connection ({@code hostname}, {@code port},
 * {@code virtual_host} ...)
 * @param prefetchCount how many messages the broker may push to it unacknowledged
 * @param raw the whole reply, with fields this record does not name ({@code rusage} ...)
 */
public record WorkerStats(Map<String, Long> total, long pid, long clock, long uptime,
		Map<String, @Nullable Object> pool, Map<String, @Nullable Object> broker, long prefetchCount,
		Map<String, @Nullable Object> raw) {

	static WorkerStats of(Map<?, ?> stats) {
		Map<String, Long> total = new LinkedHashMap<>();
		if (stats.get("total") instanceof Map<?, ?> map) {
			map.forEach((name, count) -> total.put(String.valueOf(name),
					(count instanceof Number number) ? number.longValue() : 0L));
		}
		Object clock = stats.get("clock");
		long clockValue = (clock instanceof Number number) ? number.longValue()
				: (clock instanceof String text && !text.isEmpty()) ? Long.parseLong(text.trim()) : 0;
		return new WorkerStats(total, Replies.number(stats, "pid"), clockValue, Replies.number(stats, "uptime"),
				Replies.map(stats, "pool"), Replies.map(stats, "broker"), Replies.number(stats, "prefetch_count"),
				Replies.map(stats));
	}

}
