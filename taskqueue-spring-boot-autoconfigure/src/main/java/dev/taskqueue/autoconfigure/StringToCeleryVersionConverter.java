package dev.taskqueue.autoconfigure;

import dev.taskqueue.protocol.CeleryVersion;
import org.springframework.core.convert.converter.Converter;

/**
 * Converts a Celery version as Celery writes it ({@code 5.2.6}, {@code 5.6}) to a
 * {@link CeleryVersion}, so that {@code taskqueue.celery-version} binds to one and the
 * binder names the property of a version it cannot read.
 */
class StringToCeleryVersionConverter implements Converter<String, CeleryVersion> {

	@Override
	public CeleryVersion convert(String source) {
		return CeleryVersion.parse(source);
	}

}
