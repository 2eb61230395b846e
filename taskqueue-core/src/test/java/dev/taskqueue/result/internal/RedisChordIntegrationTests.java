package dev.taskqueue.result.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chord bookkeeping in Redis as Celery's Redis backend keeps it ({@code .s}, {@code .j},
 * {@code .t}), and exactly one completion however parts race.
 */
class RedisChordIntegrationTests {

	private LettuceConnectionFactory redis;

	private StringRedisTemplate template;

	private RedisResultBackend backend;

	private final List<String> groups = new ArrayList<>();

	@BeforeEach
	void connect() {
		this.redis = Infrastructure.redis();
		this.template = new StringRedisTemplate(this.redis);
		this.backend = new RedisResultBackend(this.redis, new ResultCodec(JsonMapper.builder().build()), "",
				Duration.ofDays(1));
	}

	@AfterEach
	void close() throws Exception {
		for (String group : this.groups) {
			this.template.delete(List.of(key(group), key(group) + ".j", key(group) + ".s", key(group) + ".t"));
		}
		this.backend.destroy();
		this.redis.destroy();
	}

	private String group() {
		String id = UUID.randomUUID().toString();
		this.groups.add(id);
		return id;
	}

	private static String key(String group) {
		return "celery-taskset-meta-" + group;
	}

	@Test
	void chordSizeIsStoredAsCeleryStoresIt() {
		String group = group();
		this.backend.setChordSize(group, 3);
		assertThat(this.template.opsForValue().get(key(group) + ".s")).isEqualTo("3");
		assertThat(this.template.getExpire(key(group) + ".s")).isBetween(86390L, 86400L);
	}

	@Test
	void partIsAddedToTheSortedSetAsCeleryAddsIt() {
		String group = group();
		this.backend.setChordSize(group, 3);
		assertThat(
				this.backend.chordPartReturned(group, 1, "b423c3e0-41ed-4370-90c5-5d43b630a70f", TaskState.SUCCESS, 4))
			.isNull();
		var members = this.template.opsForZSet().rangeWithScores(key(group) + ".j", 0, -1);
		assertThat(members).extracting(TypedTuple::getValue)
			.containsExactly("[1, \"b423c3e0-41ed-4370-90c5-5d43b630a70f\", \"SUCCESS\", 4]");
		assertThat(members).extracting(TypedTuple::getScore).containsExactly(1.0);
		assertThat(this.template.getExpire(key(group) + ".j")).isBetween(86390L, 86400L);
	}

	@Test
	void lastPartGetsEveryOutcomeInHeaderOrder() {
		String group = group();
		this.backend.setChordSize(group, 3);
		assertThat(this.backend.chordPartReturned(group, 2, "c", TaskState.SUCCESS, 3.0)).isNull();
		assertThat(this.backend.chordPartReturned(group, 0, "a", TaskState.SUCCESS, "x")).isNull();
		Map<String, Object> failure = Map.of("exc_type", "ValueError", "exc_message", List.of("bad"), "exc_module",
				"builtins");
		assertThat(this.backend.chordPartReturned(group, 1, "b", TaskState.FAILURE, failure)).containsExactly(
				new ChordPart("a", TaskState.SUCCESS, "x"), new ChordPart("b", TaskState.FAILURE, failure),
				new ChordPart("c", TaskState.SUCCESS, 3.0));
	}

	@Test
	void partsWrittenByCelerysWorkerCountToo() {
		String group = group();
		this.template.opsForValue().set(key(group) + ".s", "2");
		this.template.opsForZSet().add(key(group) + ".j", "[1, \"py-part\", \"SUCCESS\", [1, 2]]", 0);
		assertThat(this.backend.chordPartReturned(group, 1, "java-part", TaskState.SUCCESS, 7)).containsExactly(
				new ChordPart("py-part", TaskState.SUCCESS, List.of(1, 2)),
				new ChordPart("java-part", TaskState.SUCCESS, 7));
	}

	@Test
	void celerysSizeAdjustmentIsAddedToTheSize() {
		String group = group();
		this.backend.setChordSize(group, 1);
		this.template.opsForValue().set(key(group) + ".t", "1");
		assertThat(this.backend.chordPartReturned(group, 0, "a", TaskState.SUCCESS, 1)).isNull();
		assertThat(this.backend.chordPartReturned(group, 1, "b", TaskState.SUCCESS, 2)).hasSize(2);
	}

	@Test
	void partOfAChordOfUnknownSizeNeverCompletesIt() {
		String group = group();
		assertThat(this.backend.chordPartReturned(group, 0, "a", TaskState.SUCCESS, 1)).isNull();
	}

	@Test
	void partThatReturnsAgainReplacesItsEntryInsteadOfCountingTwice() {
		String group = group();
		this.backend.setChordSize(group, 2);
		assertThat(this.backend.chordPartReturned(group, 0, "a", TaskState.SUCCESS, "first run")).isNull();
		assertThat(this.backend.chordPartReturned(group, 0, "a", TaskState.SUCCESS, "second run")).isNull();
		assertThat(this.backend.chordPartReturned(group, 1, "b", TaskState.SUCCESS, "b")).containsExactly(
				new ChordPart("a", TaskState.SUCCESS, "second run"), new ChordPart("b", TaskState.SUCCESS, "b"));
	}

	@Test
	void partsFinishingAtTheSameMomentCompleteTheChordExactlyOnce() throws Exception {
		int parts = 8;
		ExecutorService pool = Executors.newFixedThreadPool(parts);
		try {
			for (int round = 0; round < 25; round++) {
				String group = group();
				this.backend.setChordSize(group, parts);
				CyclicBarrier start = new CyclicBarrier(parts);
				List<Future<List<ChordPart>>> outcomes = new ArrayList<>();
				for (int i = 0; i < parts; i++) {
					int index = i;
					outcomes.add(pool.submit(() -> {
						start.await();
						return this.backend.chordPartReturned(group, index, "part-" + index, TaskState.SUCCESS, index);
					}));
				}
				List<List<ChordPart>> completions = new ArrayList<>();
				for (Future<List<ChordPart>> outcome : outcomes) {
					List<ChordPart> completion = outcome.get();
					if (completion != null) {
						completions.add(completion);
					}
				}
				assertThat(completions).hasSize(1);
				assertThat(completions.get(0)).extracting(ChordPart::result)
					.containsExactlyElementsOf(IntStream.range(0, parts).boxed().toList());
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void completedChordLeavesNoKeysOnceDeleted() {
		String group = group();
		this.backend.setChordSize(group, 1);
		this.backend.chordPartReturned(group, 0, "a", TaskState.SUCCESS, 1);
		this.backend.deleteChord(group);
		assertThat(this.template.keys(key(group) + "*")).isEmpty();
	}

	@Test
	void savedGroupIsWrittenInCeleryFormatAndPublished() {
		String group = "687c2286-71df-43c4-a25e-8fd99560264e";
		this.groups.add(group);
		this.backend.saveGroup(group, List.of("66d2d445-993e-4d79-a220-1bd15a8b7b98",
				"db3c1708-e35b-4ee6-a29c-ac2ea89e60e9", "4a36bac5-c47c-4593-9890-530baa27ac4e"));
		String expected = dev.taskqueue.support.CeleryVectors.load("results-group.json")
			.get("redis")
			.get(key(group))
			.get("value")
			.asString();
		assertThat(this.template.opsForValue().get(key(group))).isEqualTo(expected);
		assertThat(this.backend.restoreGroup(group)).containsExactly("66d2d445-993e-4d79-a220-1bd15a8b7b98",
				"db3c1708-e35b-4ee6-a29c-ac2ea89e60e9", "4a36bac5-c47c-4593-9890-530baa27ac4e");
	}

	@Test
	void groupNeverSavedIsNotRestored() {
		assertThat(this.backend.restoreGroup(group())).isNull();
	}

}
