package dev.taskqueue.beat.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The schedule in Redis, in RedBeat's layout: one hash per entry ({@code definition},
 * {@code meta} and the Java beat's {@value EntryExtras#FIELD}), the sorted set of
 * next-due times whose members are the entries' keys, the set of configured entries'
 * names, and the Java beat's record of fires not yet confirmed by the broker.
 * <p>
 * A fire is advanced by one script for a batch of entries: only while the lock holds this
 * beat's token, and for each entry only if its score, definition and meta are still those
 * the beat read, does it write the new meta and score, as RedBeat's fire does, and record
 * the fire as in flight.
 */
public final class RedBeatStore {

	private static final String DEFINITION = "definition";

	private static final String META = "meta";

	private static final List<Object> FIELDS = List.of(DEFINITION, META, EntryExtras.FIELD);

	/** Arguments per entry of {@link #ADVANCE}. */
	private static final int ADVANCE_ARGS = 8;

	private static final RedisScript<List> ADVANCE = new DefaultRedisScript<>("""
			if redis.call('get', KEYS[1]) ~= ARGV[1] then
			    return {-1}
			end
			local results = {}
			for i = 1, #KEYS - 3 do
			    local a = 1 + (i - 1) * 8
			    local key = KEYS[3 + i]
			    local member = ARGV[a + 1]
			    local score = redis.call('zscore', KEYS[2], member)
			    local expected = ARGV[a + 2]
			    local result = 1
			    if expected == '' then
			        if score then result = -2 end
			    elseif not score or tonumber(score) ~= tonumber(expected) then
			        result = -2
			    end
			    if result == 1 and (redis.call('hget', key, 'definition') or '') ~= ARGV[a + 3] then
			        result = -3
			    end
			    if result == 1 and (redis.call('hget', key, 'meta') or '') ~= ARGV[a + 4] then
			        result = -4
			    end
			    if result == 1 then
			        redis.call('hset', key, 'meta', ARGV[a + 5])
			        redis.call('zadd', KEYS[2], ARGV[a + 6], member)
			        if ARGV[a + 7] ~= '' then
			            redis.call('hset', KEYS[3], ARGV[a + 7], ARGV[a + 8])
			        end
			    end
			    results[i] = result
			end
			return results
			""", List.class);

	private static final RedisScript<Long> ADD = new DefaultRedisScript<>("""
			if redis.call('exists', KEYS[1]) == 1 then
			    return 0
			end
			redis.call('hset', KEYS[1], 'definition', ARGV[1], 'meta', ARGV[2], 'x-taskqueue', ARGV[3])
			redis.call('zadd', KEYS[2], ARGV[4], KEYS[1])
			return 1
			""", Long.class);

	private static final RedisScript<Long> SAVE = new DefaultRedisScript<>("""
			if ARGV[5] == 'existing' and redis.call('hexists', KEYS[1], 'definition') == 0 then
			    return 0
			end
			redis.call('hset', KEYS[1], 'definition', ARGV[1], 'x-taskqueue', ARGV[3])
			redis.call('hsetnx', KEYS[1], 'meta', ARGV[2])
			redis.call('zadd', KEYS[2], ARGV[4], KEYS[1])
			return 1
			""", Long.class);

	private static final RedisScript<Long> UPDATE = new DefaultRedisScript<>("""
			if (redis.call('hget', KEYS[1], ARGV[1]) or '') ~= ARGV[2] or redis.call('exists', KEYS[1]) == 0 then
			    return 0
			end
			redis.call('hset', KEYS[1], ARGV[1], ARGV[3])
			if ARGV[4] ~= '' then
			    redis.call('hset', KEYS[1], 'x-taskqueue', ARGV[4])
			end
			if ARGV[5] ~= '' then
			    redis.call('zadd', KEYS[2], ARGV[5], KEYS[1])
			end
			return 1
			""", Long.class);

	private static final RedisScript<Long> DELETE = new DefaultRedisScript<>("""
			local removed = redis.call('zrem', KEYS[2], KEYS[1])
			local deleted = redis.call('del', KEYS[1])
			if ARGV[1] ~= '' then
			    redis.call('srem', KEYS[3], ARGV[1])
			end
			return removed + deleted
			""", Long.class);

	private final StringRedisTemplate redis;

	private final RedBeatKeys keys;

	private final RedBeatJson codec;

	/**
	 * Create the store.
	 * @param redis the template
	 * @param keys the schedule's keys
	 * @param codec the codec
	 */
	public RedBeatStore(StringRedisTemplate redis, RedBeatKeys keys, RedBeatJson codec) {
		this.redis = redis;
		this.keys = keys;
		this.codec = codec;
	}

	/**
	 * Return the schedule's keys.
	 * @return the schedule's keys
	 */
	public RedBeatKeys keys() {
		return this.keys;
	}

	/**
	 * Return the codec.
	 * @return the codec
	 */
	public RedBeatJson codec() {
		return this.codec;
	}

	/**
	 * The members whose score is due, and the score of the next one.
	 *
	 * @param members the members with a score from 0 to now, in the schedule's order
	 * @param nextScore the lowest score after now, or {@code null}
	 */
	record Due(List<String> members, @Nullable Double nextScore) {

	}

	/**
	 * Select the entries whose score is due (RedBeat's selection: a score from 0 to now;
	 * the score is a hint, the meta decides).
	 * @param nowSeconds now, in whole epoch seconds
	 * @return the due members and the next score
	 */
	@SuppressWarnings("unchecked")
	Due due(long nowSeconds) {
		String schedule = this.keys.schedule();
		List<Object> results = this.redis.executePipelined(new SessionCallback<Object>() {

			@Override
			public <K, V> @Nullable Object execute(RedisOperations<K, V> operations) {
				ZSetOperations<String, String> zset = ((RedisOperations<String, String>) operations).opsForZSet();
				zset.rangeByScore(schedule, 0, nowSeconds);
				// Scores are whole seconds: the first one above now.
				zset.rangeByScoreWithScores(schedule, nowSeconds + 0.5, Double.POSITIVE_INFINITY, 0, 1);
				return null;
			}

		});
		Set<String> due = (Set<String>) results.get(0);
		Set<ZSetOperations.TypedTuple<String>> next = (Set<ZSetOperations.TypedTuple<String>>) results.get(1);
		Double nextScore = (next == null || next.isEmpty()) ? null : next.iterator().next().getScore();
		return new Due((due != null) ? new ArrayList<>(due) : List.of(), nextScore);
	}

	/**
	 * Return the members whose score is in a range, in the schedule's order.
	 * @param min the lowest score
	 * @param max the highest score
	 * @return the members
	 */
	List<String> members(double min, double max) {
		Set<String> members = this.redis.opsForZSet().rangeByScore(this.keys.schedule(), min, max);
		return (members != null) ? new ArrayList<>(members) : List.of();
	}

	/**
	 * Read entries.
	 * @param members the entries' keys
	 * @return the entries, in the same order; entries whose key is not of the prefix or
	 * whose hash is gone come with a problem
	 */
	@SuppressWarnings("unchecked")
	List<StoredEntry> load(List<String> members) {
		if (members.isEmpty()) {
			return List.of();
		}
		String schedule = this.keys.schedule();
		List<Object> results = this.redis.executePipelined(new SessionCallback<Object>() {

			@Override
			public <K, V> @Nullable Object execute(RedisOperations<K, V> operations) {
				RedisOperations<String, String> ops = (RedisOperations<String, String>) operations;
				for (String member : members) {
					ops.opsForHash().multiGet(member, FIELDS);
					ops.opsForZSet().score(schedule, member);
				}
				return null;
			}

		});
		List<StoredEntry> entries = new ArrayList<>(members.size());
		for (int i = 0; i < members.size(); i++) {
			String member = members.get(i);
			List<Object> fields = (List<Object>) results.get(2 * i);
			Double score = (Double) results.get(2 * i + 1);
			String name = this.keys.name(member);
			entries.add(StoredEntry.read(member, (name != null) ? name : member, score,
					(name != null) ? (String) fields.get(0) : null, (String) fields.get(1), (String) fields.get(2),
					this.codec));
		}
		return entries;
	}

	/**
	 * Read one entry.
	 * @param name the entry's name
	 * @return the entry, or {@code null} if there is no hash of that name
	 */
	@Nullable StoredEntry get(String name) {
		String key = this.keys.entry(name);
		StoredEntry entry = load(List.of(key)).get(0);
		return (entry.rawDefinition() == null && entry.rawMeta() == null && entry.rawExtras() == null) ? null : entry;
	}

	/**
	 * Read every entry of the schedule, in its order.
	 * @return the entries
	 */
	List<StoredEntry> all() {
		Set<String> members = this.redis.opsForZSet().range(this.keys.schedule(), 0, -1);
		return load((members != null) ? new ArrayList<>(members) : List.of());
	}

	/**
	 * What one fenced advance of an entry expects and writes.
	 *
	 * @param entry the entry as read
	 * @param expectedScore the score it must still have ({@code null}: none)
	 * @param expectedMeta the meta it must still have ({@code null}: none)
	 * @param meta the new meta
	 * @param score the new score
	 * @param fireId the fire's task id, or {@code null} when the advance fires nothing
	 * @param inflight what the in-flight record says
	 */
	record Advance(StoredEntry entry, @Nullable Double expectedScore, @Nullable String expectedMeta, String meta,
			double score, @Nullable String fireId, String inflight) {

	}

	/**
	 * Advance entries, fenced: nothing is written unless the lock holds the token, and an
	 * entry only if its score, definition and meta are still as read.
	 * @param token this beat's lock token
	 * @param batch the fires
	 * @return for each fire {@code 1} if written, {@code -2}, {@code -3} or {@code -4} if
	 * its score, definition or meta changed; or a single {@code -1} if the lock is not
	 * held
	 */
	List<Long> advance(String token, List<Advance> batch) {
		List<String> keys = new ArrayList<>(3 + batch.size());
		keys.add(this.keys.lock());
		keys.add(this.keys.schedule());
		keys.add(this.keys.inflight());
		List<String> args = new ArrayList<>(1 + ADVANCE_ARGS * batch.size());
		args.add(token);
		for (Advance advance : batch) {
			StoredEntry entry = advance.entry();
			keys.add(entry.key());
			args.add(entry.key());
			args.add((advance.expectedScore() != null) ? Double.toString(advance.expectedScore()) : "");
			args.add(orEmpty(entry.rawDefinition()));
			args.add(orEmpty(advance.expectedMeta()));
			args.add(advance.meta());
			args.add(score(advance.score()));
			args.add(orEmpty(advance.fireId()));
			args.add(advance.inflight());
		}
		List<?> results = this.redis.execute(ADVANCE, keys, args.toArray());
		List<Long> codes = new ArrayList<>();
		if (results != null) {
			for (Object result : results) {
				codes.add(((Number) result).longValue());
			}
		}
		return codes;
	}

	/**
	 * Return the fires advanced but not confirmed, by task id.
	 * @return the fires advanced but not confirmed, by task id
	 */
	Map<String, String> inflight() {
		Map<Object, Object> all = this.redis.opsForHash().entries(this.keys.inflight());
		Map<String, String> fires = new LinkedHashMap<>();
		all.forEach((id, value) -> fires.put((String) id, (String) value));
		return fires;
	}

	/**
	 * Record a fire as in flight (a new leader takes over a fire it re-sends).
	 * @param fireId the task id
	 * @param value the record
	 */
	void putInflight(String fireId, String value) {
		this.redis.opsForHash().put(this.keys.inflight(), fireId, value);
	}

	/**
	 * Forget fires the broker confirmed.
	 * @param fireIds their task ids
	 */
	void confirmed(Collection<String> fireIds) {
		if (!fireIds.isEmpty()) {
			this.redis.opsForHash().delete(this.keys.inflight(), fireIds.toArray());
		}
	}

	/**
	 * Create an entry, as RedBeat's {@code save()} of a new one.
	 * @param name the entry's name
	 * @param definition the definition
	 * @param meta the meta
	 * @param extras the extras
	 * @param score the score
	 * @return whether it was created ({@code false}: an entry of that name exists)
	 */
	boolean add(String name, String definition, String meta, String extras, double score) {
		Long added = this.redis.execute(ADD, List.of(this.keys.entry(name), this.keys.schedule()), definition, meta,
				extras, score(score));
		return added != null && added == 1L;
	}

	/**
	 * Write an entry's definition and keep its meta, as RedBeat's {@code save()}.
	 * @param name the entry's name
	 * @param definition the definition
	 * @param metaIfAbsent the meta written when the entry has none
	 * @param extras the extras
	 * @param score the score
	 * @param existingOnly whether to write only if the entry exists
	 * @return whether it was written
	 */
	boolean save(String name, String definition, String metaIfAbsent, String extras, double score,
			boolean existingOnly) {
		Long saved = this.redis.execute(SAVE, List.of(this.keys.entry(name), this.keys.schedule()), definition,
				metaIfAbsent, extras, score(score), existingOnly ? "existing" : "any");
		return saved != null && saved == 1L;
	}

	/**
	 * Change one field of an entry if it still holds what was read.
	 * @param entry the entry as read
	 * @param field {@code definition} or {@code meta}
	 * @param value the new value
	 * @param extras new extras, or {@code null} to keep them
	 * @param score a new score, or {@code null} to keep it
	 * @return whether it was written ({@code false}: the entry changed meanwhile)
	 */
	boolean update(StoredEntry entry, String field, String value, @Nullable String extras, @Nullable Double score) {
		String expected = DEFINITION.equals(field) ? entry.rawDefinition() : entry.rawMeta();
		Long updated = this.redis.execute(UPDATE, List.of(entry.key(), this.keys.schedule()), field, orEmpty(expected),
				value, orEmpty(extras), (score != null) ? score(score) : "");
		return updated != null && updated == 1L;
	}

	/**
	 * Delete an entry: its member, its hash, and its name from the statics set.
	 * @param name the entry's name
	 * @param fromStatics whether to remove the name from the statics set too
	 * @return whether there was anything to delete
	 */
	boolean delete(String name, boolean fromStatics) {
		Long deleted = this.redis.execute(DELETE,
				List.of(this.keys.entry(name), this.keys.schedule(), this.keys.statics()), fromStatics ? name : "");
		return deleted != null && deleted > 0;
	}

	/**
	 * Remove a member whose hash is gone, as RedBeat does.
	 * @param member the member
	 */
	void removeMember(String member) {
		this.redis.opsForZSet().remove(this.keys.schedule(), member);
	}

	/**
	 * Return the names in the statics set.
	 * @return the names in the statics set
	 */
	Set<String> statics() {
		Set<String> members = this.redis.opsForSet().members(this.keys.statics());
		return (members != null) ? new LinkedHashSet<>(members) : Set.of();
	}

	/**
	 * Add names to the statics set.
	 * @param names the names
	 */
	void addStatics(Collection<String> names) {
		if (!names.isEmpty()) {
			this.redis.opsForSet().add(this.keys.statics(), names.toArray(String[]::new));
		}
	}

	/**
	 * Return the token of the beat holding the lock, or {@code null} if none does.
	 * @return the token of the beat holding the lock, or {@code null} if none does
	 */
	@Nullable String lockHolder() {
		return this.redis.opsForValue().get(this.keys.lock());
	}

	/**
	 * RedBeat's eviction check: a {@code maxmemory} with an {@code allkeys-*} policy may
	 * evict the schedule itself.
	 * @return a warning, or {@code null} when the policy is safe or cannot be read
	 */
	@Nullable String evictionRisk() {
		try {
			Properties config = this.redis
				.execute((RedisCallback<Properties>) (RedisConnection connection) -> connection.serverCommands()
					.getConfig("maxmemory*"));
			if (config == null) {
				return null;
			}
			String maxmemory = config.getProperty("maxmemory", "0");
			String policy = config.getProperty("maxmemory-policy", "noeviction");
			if (!"0".equals(maxmemory) && policy.startsWith("allkeys-")) {
				return "Redis may evict the schedule: maxmemory is " + maxmemory + " with maxmemory-policy " + policy
						+ "; use noeviction (or a volatile-* policy) for the Redis that holds it";
			}
			return null;
		}
		catch (DataAccessException | UnsupportedOperationException ex) {
			// Managed Redis often forbids CONFIG.
			return null;
		}
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static String score(double score) {
		return (score == Math.rint(score)) ? Long.toString((long) score) : Double.toString(score);
	}

}
