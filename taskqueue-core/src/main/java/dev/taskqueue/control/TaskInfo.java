package dev.taskqueue.control;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task request a node holds, as Celery's {@code active}, {@code reserved},
 * {@code scheduled} and {@code query_task} replies describe it ({@code Request.info()}).
 *
 * @param id the task id
 * @param name the task name
 * @param args the positional arguments: a list, or Python repr text when asked for
 * {@code safe} values
 * @param kwargs the keyword arguments: a map, or Python repr text when {@code safe}
 * @param hostname the node holding it
 * @param timeStart when its execution began, or {@code null} if it has not
 * @param acknowledged whether its message was acknowledged
 * @param deliveryInfo {@code exchange}, {@code routing_key}, {@code priority} and
 * {@code redelivered}
 * @param workerPid the process (or thread) running it, or {@code null}
 */
public record TaskInfo(String id, String name, @Nullable Object args, @Nullable Object kwargs, String hostname,
		@Nullable Instant timeStart, boolean acknowledged, Map<String, @Nullable Object> deliveryInfo,
		@Nullable Long workerPid) {

	static TaskInfo of(Map<?, ?> info) {
		Map<String, @Nullable Object> delivery = new LinkedHashMap<>();
		if (info.get("delivery_info") instanceof Map<?, ?> map) {
			map.forEach((key, value) -> delivery.put(String.valueOf(key), value));
		}
		Instant started = null;
		if (info.get("time_start") instanceof Number seconds) {
			started = Instant.ofEpochSecond(0, (long) (seconds.doubleValue() * 1e9));
		}
		return new TaskInfo(Replies.text(info, "id"), Replies.text(info, "name"), info.get("args"), info.get("kwargs"),
				Replies.text(info, "hostname"), started, Boolean.TRUE.equals(info.get("acknowledged")), delivery,
				(info.get("worker_pid") instanceof Number pid) ? pid.longValue() : null);
	}

}
