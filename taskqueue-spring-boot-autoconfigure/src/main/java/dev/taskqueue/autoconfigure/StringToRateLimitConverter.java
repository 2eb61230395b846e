package dev.taskqueue.autoconfigure;

import dev.taskqueue.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;
import org.springframework.core.convert.converter.Converter;

/**
 * Converts a rate as Celery writes it ({@code 10/s}, {@code 100/m}, {@code 1000/h},
 * {@code 0.5}) to a {@link RateLimit}, so that {@code taskqueue.tasks.*.rate-limit} binds
 * to one and the binder names the property of a rate it cannot read.
 */
class StringToRateLimitConverter implements Converter<String, RateLimit> {

	@Override
	public @Nullable RateLimit convert(String source) {
		return source.isBlank() ? null : RateLimit.parse(source);
	}

}
