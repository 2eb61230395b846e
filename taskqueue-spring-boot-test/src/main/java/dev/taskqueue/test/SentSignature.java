package dev.taskqueue.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A task a sent message carries to be sent later: a link (callback), an errback, or a
 * later step of a chain, as Celery's signature writes it.
 *
 * @param name the task name
 * @param args its positional arguments
 * @param kwargs its keyword arguments
 * @param options its options (queue, countdown, ...) as Celery names them
 * @param immutable whether it ignores the parent's result
 */
public record SentSignature(String name, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs,
		Map<String, @Nullable Object> options, boolean immutable) {

	@Override
	public String toString() {
		return this.name + this.args + (this.kwargs.isEmpty() ? "" : this.kwargs.toString())
				+ (this.immutable ? " (immutable)" : "");
	}

}
