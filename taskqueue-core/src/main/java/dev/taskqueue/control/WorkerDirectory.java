package dev.taskqueue.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.control.internal.WorkerEventMonitor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workers of a cluster, as their heartbeats keep them in Redis: one key per worker,
 * {@code <prefix>taskqueue-worker-<name>}, holding a JSON record with a TTL of a few
 * heartbeat intervals. A worker that stops cleanly deletes its key; one that dies stops
 * refreshing it and disappears when the TTL runs out. Liveness is Redis's TTL, so the
 * workers' clocks need not agree.
 * <p>
 * With a {@link #setEventMonitor(WorkerEventMonitor) monitor of Celery's worker events},
 * the directory also lists the Celery workers on the broker (Python ones, and any other
 * that sends Celery's heartbeats), alive as Celery's receivers judge them; a worker that
 * has a record here and sends events is listed once, from its record. Events are not
 * scoped by the key prefix: every Celery worker that sends events to the exchange is
 * listed, as Flower lists it.
 * <p>
 * Listing {@code SCAN}s for the keys (never {@code KEYS}) and reads them with
 * {@code MGET}.
 */
public class WorkerDirectory {

	private static final Log logger = LogFactory.getLog(WorkerDirectory.class);

	/** Key prefix of worker records, after the application's key prefix. */
	public static final String KEY_PREFIX = "taskqueue-worker-";

	private static final int BATCH = 100;

	// The record changes with every heartbeat; the instance id it carries says whose it
	// is.
	private static final RedisScript<Long> REMOVE_OWN = new DefaultRedisScript<>(
			"local v = redis.call('GET', KEYS[1]); "
					+ "if v and string.find(v, ARGV[1], 1, true) then return redis.call('DEL', KEYS[1]) end; return 0",
			Long.class);

	// One round trip, and never a record without its TTL.
	private static final RedisScript<String> WRITE = new DefaultRedisScript<>(
			"local p = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]); "
					+ "if p then return p end; return ''",
			String.class);

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final JsonMapper mapper = JsonMapper.shared();

	private volatile @Nullable WorkerEventMonitor eventMonitor;

	/**
	 * Create a directory.
	 * @param connectionFactory the Redis connection factory
	 * @param keyPrefix the application's key prefix (the result backend's)
	 */
	public WorkerDirectory(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix;
	}

	/**
	 * Also list the workers Celery's worker events show.
	 * @param eventMonitor the monitor, or {@code null} to list taskqueue workers only
	 */
	public void setEventMonitor(@Nullable WorkerEventMonitor eventMonitor) {
		this.eventMonitor = eventMonitor;
	}

	/**
	 * The Redis key of a worker's record.
	 * @param workerName the worker's name
	 * @return the key
	 */
	public String key(String workerName) {
		return this.keyPrefix + KEY_PREFIX + workerName;
	}

	/**
	 * The live workers, by name.
	 * @return the workers whose records have not expired
	 */
	public List<WorkerInfo> list() {
		List<WorkerInfo> workers = new ArrayList<>();
		List<String> batch = new ArrayList<>(BATCH);
		ScanOptions options = ScanOptions.scanOptions()
			.match(escapeGlob(this.keyPrefix + KEY_PREFIX) + "*")
			.count(1000)
			.build();
		try (Cursor<String> keys = this.redis.scan(options)) {
			while (keys.hasNext()) {
				batch.add(keys.next());
				if (batch.size() == BATCH) {
					read(batch, workers);
					batch.clear();
				}
			}
		}
		read(batch, workers);
		addEventWorkers(workers);
		workers.sort(Comparator.comparing(WorkerInfo::name));
		return workers;
	}

	private void addEventWorkers(List<WorkerInfo> workers) {
		WorkerEventMonitor monitor = this.eventMonitor;
		if (monitor == null) {
			return;
		}
		Set<String> names = new HashSet<>();
		Set<String> processes = new HashSet<>();
		for (WorkerInfo worker : workers) {
			names.add(worker.name());
			processes.add(worker.host() + "/" + worker.pid());
		}
		for (WorkerInfo worker : monitor.getWorkers()) {
			// A taskqueue worker that also sends events is listed from its richer record.
			if (!names.contains(worker.name()) && !processes.contains(worker.host() + "/" + worker.pid())) {
				workers.add(worker);
			}
		}
	}

	/**
	 * One live worker.
	 * @param workerName the worker's name
	 * @return its record, or {@code null} if it has none (stopped, dead or unknown)
	 */
	public @Nullable WorkerInfo get(String workerName) {
		String value = this.redis.opsForValue().get(key(workerName));
		if (value != null) {
			return decode(key(workerName), value);
		}
		WorkerEventMonitor monitor = this.eventMonitor;
		return (monitor != null) ? monitor.getWorker(workerName) : null;
	}

	/**
	 * Write a worker's record.
	 * @param worker the record
	 * @param instance an id of the running process, so a worker reusing the name cannot
	 * delete it
	 * @param ttl how long the record lives unless written again
	 * @return the instance id of the record this one replaced, {@code null} if there was
	 * none or it had none
	 */
	public @Nullable String write(WorkerInfo worker, String instance, Duration ttl) {
		String previous = this.redis.execute(WRITE, List.of(key(worker.name())), encode(worker, instance),
				Long.toString(Math.max(1, ttl.toMillis())));
		if (previous == null || previous.isEmpty()) {
			return null;
		}
		try {
			JsonNode node = this.mapper.readTree(previous);
			return node.path("instance").isString() ? node.get("instance").asString() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Delete a worker's record if it is still the one this instance wrote.
	 * @param workerName the worker's name
	 * @param instance the instance id it was written with
	 * @return whether it was deleted
	 */
	public boolean remove(String workerName, String instance) {
		Long removed = this.redis.execute(REMOVE_OWN, List.of(key(workerName)), instance);
		return removed != null && removed > 0;
	}

	private void read(List<String> keys, List<WorkerInfo> into) {
		if (keys.isEmpty()) {
			return;
		}
		List<String> values = this.redis.opsForValue().multiGet(keys);
		if (values == null) {
			return;
		}
		for (int i = 0; i < keys.size(); i++) {
			String value = values.get(i);
			// null: expired between SCAN and MGET.
			if (value != null) {
				WorkerInfo worker = decode(keys.get(i), value);
				if (worker != null) {
					into.add(worker);
				}
			}
		}
	}

	private String encode(WorkerInfo worker, String instance) {
		Map<String, Object> record = new LinkedHashMap<>();
		record.put("name", worker.name());
		record.put("host", worker.host());
		record.put("pid", worker.pid());
		record.put("queues", worker.queues());
		record.put("concurrency", worker.concurrency());
		record.put("inFlight", worker.inFlight());
		record.put("startedAt", worker.startedAt().toString());
		record.put("lastHeartbeat", worker.lastHeartbeat().toString());
		record.put("instance", instance);
		return this.mapper.writeValueAsString(record);
	}

	private @Nullable WorkerInfo decode(String key, String value) {
		try {
			JsonNode node = this.mapper.readTree(value);
			List<String> queues = new ArrayList<>();
			for (JsonNode queue : node.required("queues")) {
				queues.add(queue.asString());
			}
			return new WorkerInfo(node.required("name").asString(), node.required("host").asString(),
					node.required("pid").asLong(), queues, node.required("concurrency").asInt(),
					node.required("inFlight").asInt(), Instant.parse(node.required("startedAt").asString()),
					Instant.parse(node.required("lastHeartbeat").asString()));
		}
		catch (RuntimeException ex) {
			logger.warn("Ignored the unreadable worker record " + key + ": " + ex.getMessage());
			return null;
		}
	}

	/** A key prefix may hold glob characters; SCAN's MATCH must take them literally. */
	static String escapeGlob(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
				escaped.append('\\');
			}
			escaped.append(c);
		}
		return escaped.toString();
	}

}
