package dev.taskqueue.test.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.test.SentSignature;
import dev.taskqueue.test.SentTask;
import org.jspecify.annotations.Nullable;

/**
 * Reads a decoded task message as a {@link SentTask}.
 */
final class SentTasks {

	private SentTasks() {
	}

	static SentTask of(TaskMessage message, String exchange, String routingKey, String contentType) {
		TaskMessage.Embed embed = message.embed();
		return new SentTask(message.id(), message.task(), nullableList(message.args()), nullableMap(message.kwargs()),
				exchange, routingKey, message.eta(), message.expires(), message.priority(), message.retries(),
				message.group(), message.parentId(), message.rootId(), signatures(embed.callbacks()),
				signatures(embed.errbacks()), reversed(signatures(embed.chain())), embed.chord() != null, contentType);
	}

	// Celery keeps the chain's remaining steps last first (it pops the next one).
	private static List<SentSignature> reversed(List<SentSignature> chain) {
		List<SentSignature> steps = new ArrayList<>(chain);
		Collections.reverse(steps);
		return List.copyOf(steps);
	}

	private static List<SentSignature> signatures(@Nullable List<?> signatures) {
		if (signatures == null) {
			return List.of();
		}
		List<SentSignature> read = new ArrayList<>(signatures.size());
		for (Object signature : signatures) {
			if (signature instanceof Map<?, ?> map) {
				read.add(signature(map));
			}
		}
		return List.copyOf(read);
	}

	private static SentSignature signature(Map<?, ?> map) {
		Object args = map.get("args");
		Object kwargs = map.get("kwargs");
		Object options = map.get("options");
		return new SentSignature(String.valueOf(map.get("task")),
				(args instanceof List<?> list) ? nullableList(list) : List.of(),
				(kwargs instanceof Map<?, ?> values) ? nullableMap(values) : Map.of(),
				(options instanceof Map<?, ?> values) ? nullableMap(values) : Map.of(),
				Boolean.TRUE.equals(map.get("immutable")));
	}

	private static List<@Nullable Object> nullableList(List<?> values) {
		return Collections.unmodifiableList(new ArrayList<>(values));
	}

	private static Map<String, @Nullable Object> nullableMap(Map<?, ?> values) {
		Map<String, @Nullable Object> copy = new LinkedHashMap<>();
		values.forEach((key, value) -> copy.put(String.valueOf(key), value));
		return Collections.unmodifiableMap(copy);
	}

}
