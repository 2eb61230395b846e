package dev.taskqueue.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Range checks of {@code taskqueue.*} values that the binder cannot express, failing with
 * Spring Boot's {@link InvalidConfigurationPropertyValueException} (which Boot's failure
 * analysis reports with the property's origin), and the names of map entries' properties
 * as Boot writes them.
 */
final class PropertyChecks {

	private PropertyChecks() {
	}

	/**
	 * The name of a property of a map entry in Boot's canonical form: keys that are not a
	 * plain lowercase name (task names have dots, routes may be globs) in brackets, as
	 * they must be written to bind to that entry.
	 * @param map the map property, e.g. {@code taskqueue.tasks}
	 * @param key the entry's key, e.g. {@code worker.divide}
	 * @param property the entry's property, e.g. {@code rate-limit}
	 * @return the name, e.g. {@code taskqueue.tasks[worker.divide].rate-limit}
	 */
	static String entry(String map, String key, String property) {
		String element = key.matches("[a-z0-9-]+") ? "." + key : "[" + key + "]";
		return map + element + "." + property;
	}

	static int atLeast(String name, int value, int min) {
		if (value < min) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Must be at least " + min + ".");
		}
		return value;
	}

	static int between(String name, int value, int min, int max) {
		if (value < min || value > max) {
			throw new InvalidConfigurationPropertyValueException(name, value,
					"Must be between " + min + " and " + max + ".");
		}
		return value;
	}

	static Duration positive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Must be positive.");
		}
		return value;
	}

	static Duration notNegative(String name, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Must not be negative.");
		}
		return value;
	}

	static DataSize positive(String name, DataSize value) {
		if (value.toBytes() <= 0) {
			throw new InvalidConfigurationPropertyValueException(name, value, "Must be positive.");
		}
		return value;
	}

}
