package dev.taskqueue.beat.internal;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.beat.Schedule;
import dev.taskqueue.protocol.internal.PythonJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * RedBeat's JSON: an entry's {@code definition} and {@code meta}, its schedules and
 * datetimes tagged with {@code __type__}. Written as Python's {@code json.dumps} writes
 * it, in RedBeat's key order, and never with anything Python's RedBeat cannot read back
 * (an unknown key there crashes every Python beat). Read as strictly as RedBeat reads it:
 * what Python tolerates is accepted, what crashes or de-schedules a Python beat is
 * refused with the reason, so the Java beat reports the entry and leaves it alone.
 */
public final class RedBeatJson {

	private static final Set<String> DEFINITION_KEYS = Set.of("name", "task", "args", "kwargs", "options", "schedule",
			"enabled", "relative", "last_run_at", "total_run_count");

	private static final Set<String> META_KEYS = Set.of("last_run_at", "total_run_count");

	private static final Set<String> DATETIME_KEYS = Set.of("__type__", "year", "month", "day", "hour", "minute",
			"second", "microsecond", "timezone");

	private static final Set<String> CRONTAB_KEYS = Set.of("__type__", "minute", "hour", "day_of_week", "day_of_month",
			"month_of_year");

	/**
	 * IANA zone ids, read once: {@code ZoneId.getAvailableZoneIds()} copies them on every
	 * call.
	 */
	private static final Set<String> IANA_ZONES = ZoneId.getAvailableZoneIds();

	private final JsonMapper mapper;

	private final ObjectWriter writer;

	/**
	 * Create the codec.
	 * @param mapper the mapper to read and write with
	 */
	public RedBeatJson(JsonMapper mapper) {
		this.mapper = mapper;
		this.writer = PythonJson.writer(mapper);
	}

	/**
	 * An entry's definition, as RedBeat keeps it.
	 *
	 * @param name the name written in it
	 * @param task the task
	 * @param args the positional arguments
	 * @param kwargs the keyword arguments
	 * @param options the send options, datetimes decoded
	 * @param schedule the schedule
	 * @param enabled whether it fires
	 */
	public record Definition(String name, String task, List<@Nullable Object> args,
			Map<String, @Nullable Object> kwargs, Map<String, Object> options, Schedule schedule, boolean enabled) {

	}

	/**
	 * An entry's meta.
	 *
	 * @param lastRunAt the last run, {@code null} when it never ran (it is due at once)
	 * @param totalRunCount how many times it ran
	 */
	public record Meta(@Nullable ZonedDateTime lastRunAt, long totalRunCount) {

	}

	/**
	 * Read a definition.
	 * @param json the {@code definition} field
	 * @return the definition
	 * @throws IllegalArgumentException if Python's RedBeat could not load it, with why
	 */
	@SuppressWarnings("unchecked")
	public Definition readDefinition(String json) {
		Map<String, @Nullable Object> definition = object(json, "definition");
		for (String key : definition.keySet()) {
			if (!DEFINITION_KEYS.contains(key)) {
				throw new IllegalArgumentException(
						"definition has the unknown field '" + key + "' (Python's RedBeat crashes on it: TypeError)");
			}
		}
		String name = text(definition, "name");
		String task = text(definition, "task");
		Object args = definition.get("args");
		Object kwargs = definition.get("kwargs");
		Object options = definition.get("options");
		if (args != null && !(args instanceof List)) {
			throw new IllegalArgumentException("definition args is not a list");
		}
		if (kwargs != null && !(kwargs instanceof Map)) {
			throw new IllegalArgumentException("definition kwargs is not an object");
		}
		if (options != null && !(options instanceof Map)) {
			throw new IllegalArgumentException("definition options is not an object");
		}
		Object enabled = definition.get("enabled");
		if (enabled != null && !(enabled instanceof Boolean)) {
			throw new IllegalArgumentException("definition enabled is not a boolean");
		}
		if (!definition.containsKey("schedule")) {
			throw new IllegalArgumentException("definition has no schedule");
		}
		Map<String, Object> decodedOptions = new LinkedHashMap<>();
		if (options != null) {
			((Map<String, Object>) options).forEach((key, value) -> {
				if (value != null) {
					decodedOptions.put(key, decodeTagged(value));
				}
			});
		}
		return new Definition(name, task, (args != null) ? (List<@Nullable Object>) args : List.of(),
				(kwargs != null) ? (Map<String, @Nullable Object>) kwargs : Map.of(), decodedOptions,
				readSchedule(definition.get("schedule")), !Boolean.FALSE.equals(enabled));
	}

	/**
	 * Write a definition.
	 * @param name the entry's name (the key's suffix)
	 * @param task the task
	 * @param args the positional arguments ({@code null} in JSON when empty, as Python)
	 * @param kwargs the keyword arguments
	 * @param options the send options
	 * @param schedule the schedule
	 * @param enabled whether it fires
	 * @return the JSON
	 */
	public String writeDefinition(String name, String task, List<@Nullable Object> args,
			Map<String, @Nullable Object> kwargs, Map<String, Object> options, Schedule schedule, boolean enabled) {
		Map<String, @Nullable Object> definition = new LinkedHashMap<>();
		definition.put("name", name);
		definition.put("task", task);
		definition.put("args", args.isEmpty() ? null : args);
		definition.put("kwargs", kwargs);
		Map<String, Object> encodedOptions = new LinkedHashMap<>();
		options.forEach((key, value) -> encodedOptions.put(key, encodeTagged(value)));
		definition.put("options", encodedOptions);
		definition.put("schedule", writeSchedule(schedule));
		definition.put("enabled", enabled);
		return write(definition);
	}

	/**
	 * Read a meta field.
	 * @param json the {@code meta} field, or {@code null} when the hash has none
	 * @return the meta
	 * @throws IllegalArgumentException if Python's RedBeat could not load it, with why
	 */
	public Meta readMeta(@Nullable String json) {
		if (json == null) {
			return new Meta(null, 0);
		}
		Map<String, @Nullable Object> meta = object(json, "meta");
		for (String key : meta.keySet()) {
			if (!META_KEYS.contains(key)) {
				throw new IllegalArgumentException(
						"meta has the unknown field '" + key + "' (Python's RedBeat crashes on it: TypeError)");
			}
		}
		Object lastRunAt = meta.get("last_run_at");
		Object count = meta.get("total_run_count");
		if (count != null && !(count instanceof Number)) {
			throw new IllegalArgumentException("meta total_run_count is not a number");
		}
		ZonedDateTime last = null;
		if (lastRunAt != null) {
			if (!(lastRunAt instanceof Map<?, ?> map) || !"datetime".equals(map.get("__type__"))) {
				throw new IllegalArgumentException("meta last_run_at is not a datetime object "
						+ "(Python's RedBeat crashes on it: AttributeError)");
			}
			last = readDatetime(lastRunAt);
		}
		return new Meta(last, (count != null) ? ((Number) count).longValue() : 0);
	}

	/**
	 * Write a meta field.
	 * @param lastRunAt the last run, in the zone Python is to evaluate crontabs in
	 * @param totalRunCount the run count, or {@code null} to leave it out (as RedBeat's
	 * {@code save()})
	 * @return the JSON
	 */
	public String writeMeta(@Nullable ZonedDateTime lastRunAt, @Nullable Long totalRunCount) {
		Map<String, @Nullable Object> meta = new LinkedHashMap<>();
		meta.put("last_run_at", (lastRunAt != null) ? writeDatetime(lastRunAt) : null);
		if (totalRunCount != null) {
			meta.put("total_run_count", totalRunCount);
		}
		return write(meta);
	}

	/**
	 * Read a schedule.
	 * @param value the {@code schedule} value: a tagged object or a number of seconds
	 * @return the schedule
	 */
	@SuppressWarnings("unchecked")
	Schedule readSchedule(@Nullable Object value) {
		if (value instanceof Number seconds) {
			return IntervalSchedule.ofSeconds(seconds.doubleValue(), false);
		}
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException("schedule " + value + " is neither an object nor a number");
		}
		Map<String, @Nullable Object> schedule = (Map<String, @Nullable Object>) value;
		Object type = schedule.get("__type__");
		if ("interval".equals(type)) {
			Object every = schedule.get("every");
			Object relative = schedule.get("relative");
			if (!(every instanceof Number) || !(relative instanceof Boolean)) {
				throw new IllegalArgumentException("interval schedule needs a number 'every' and a boolean 'relative' "
						+ "(without them Python's RedBeat drops the entry from the schedule)");
			}
			return IntervalSchedule.ofSeconds(((Number) every).doubleValue(), (Boolean) relative);
		}
		if ("crontab".equals(type)) {
			for (String key : schedule.keySet()) {
				if (!CRONTAB_KEYS.contains(key)) {
					throw new IllegalArgumentException(
							"crontab has the unknown field '" + key + "' (Python's RedBeat crashes on it: TypeError)");
				}
			}
			return CrontabSchedule.fromStored(schedule);
		}
		if ("rrule".equals(type)) {
			Map<String, @Nullable Object> rule = new LinkedHashMap<>(schedule);
			return RruleSchedule.fromStored(rule);
		}
		throw new IllegalArgumentException("schedule type '" + type + "' is unknown (Python's RedBeat crashes on it)");
	}

	/**
	 * Write a schedule.
	 * @param schedule the schedule
	 * @return the tagged object
	 */
	Map<String, @Nullable Object> writeSchedule(Schedule schedule) {
		Map<String, @Nullable Object> encoded = new LinkedHashMap<>();
		if (schedule instanceof IntervalSchedule interval) {
			encoded.put("__type__", "interval");
			encoded.put("every", interval.seconds());
			encoded.put("relative", interval.isRelative());
		}
		else if (schedule instanceof CrontabSchedule crontab) {
			encoded.put("__type__", "crontab");
			encoded.putAll(crontab.stored());
		}
		else if (schedule instanceof RruleSchedule rrule) {
			encoded.putAll(rrule.stored());
		}
		else {
			throw new IllegalArgumentException("Schedule " + schedule.describe() + " cannot be stored for RedBeat: use "
					+ "Schedule.cron(...), Schedule.crontab(...) or Schedule.every(...)");
		}
		return encoded;
	}

	/**
	 * Read a datetime object.
	 * @param value the tagged object
	 * @return the datetime in its zone (an IANA zone, or a fixed offset)
	 */
	@SuppressWarnings("unchecked")
	ZonedDateTime readDatetime(Object value) {
		Map<String, @Nullable Object> datetime = (Map<String, @Nullable Object>) value;
		for (String key : datetime.keySet()) {
			if (!DATETIME_KEYS.contains(key)) {
				throw new IllegalArgumentException(
						"datetime has the unknown field '" + key + "' (Python's RedBeat crashes on it: TypeError)");
			}
		}
		LocalDateTime local = LocalDateTime.of(field(datetime, "year", true), field(datetime, "month", true),
				field(datetime, "day", true), field(datetime, "hour", true), field(datetime, "minute", true),
				field(datetime, "second", false), field(datetime, "microsecond", true) * 1000);
		Object timezone = datetime.get("timezone");
		ZoneId zone;
		if (timezone == null) {
			zone = ZoneId.of("UTC");
		}
		else if (timezone instanceof Number offset) {
			zone = ZoneOffset.ofTotalSeconds((int) Math.round(offset.doubleValue()));
		}
		else if (timezone instanceof String key && IANA_ZONES.contains(key)) {
			zone = ZoneId.of(key);
		}
		else {
			throw new IllegalArgumentException("datetime timezone '" + timezone + "' is not an IANA zone "
					+ "(Python's RedBeat drops the entry from the schedule)");
		}
		// Python's fold=0: the first of two equal wall times, a missing one moved
		// forward.
		return ZonedDateTime.ofLocal(local, zone, null);
	}

	/**
	 * Write a datetime object: the wall clock in its zone, an IANA key or (a fixed
	 * offset) its seconds.
	 * @param time the time
	 * @return the tagged object
	 */
	Map<String, Object> writeDatetime(ZonedDateTime time) {
		Map<String, Object> datetime = new LinkedHashMap<>();
		datetime.put("__type__", "datetime");
		datetime.put("year", time.getYear());
		datetime.put("month", time.getMonthValue());
		datetime.put("day", time.getDayOfMonth());
		datetime.put("hour", time.getHour());
		datetime.put("minute", time.getMinute());
		datetime.put("second", time.getSecond());
		datetime.put("microsecond", time.getNano() / 1000);
		ZoneId zone = time.getZone();
		datetime.put("timezone",
				(zone instanceof ZoneOffset offset) ? (Object) (double) offset.getTotalSeconds() : zone.getId());
		return datetime;
	}

	private Object decodeTagged(Object value) {
		if (value instanceof Map<?, ?> map && "datetime".equals(map.get("__type__"))) {
			return readDatetime(map);
		}
		return value;
	}

	private Object encodeTagged(Object value) {
		return (value instanceof ZonedDateTime time) ? writeDatetime(time) : value;
	}

	/**
	 * Read any JSON object (the {@code x-taskqueue} field included).
	 * @param json the text
	 * @param what what it is, for the error
	 * @return the object
	 */
	@SuppressWarnings("unchecked")
	Map<String, @Nullable Object> object(String json, String what) {
		Object value;
		try {
			value = this.mapper.readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					what + " is not JSON (Python's RedBeat crashes on it): " + ex.getOriginalMessage());
		}
		if (!(value instanceof Map)) {
			throw new IllegalArgumentException(what + " is not a JSON object");
		}
		return (Map<String, @Nullable Object>) value;
	}

	/**
	 * Write a value as Python's {@code json.dumps} does.
	 * @param value the value
	 * @return the JSON
	 */
	String write(Object value) {
		return this.writer.writeValueAsString(value);
	}

	private static String text(Map<String, @Nullable Object> definition, String key) {
		Object value = definition.get(key);
		if (!(value instanceof String text) || text.isEmpty()) {
			throw new IllegalArgumentException("definition has no " + key);
		}
		return text;
	}

	private static int field(Map<String, @Nullable Object> datetime, String key, boolean required) {
		Object value = datetime.get(key);
		if (value == null && !required) {
			return 0;
		}
		if (!(value instanceof Integer number)) {
			throw new IllegalArgumentException("datetime " + key + " is not an integer: " + value);
		}
		return number;
	}

}
