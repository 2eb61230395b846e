package dev.taskqueue.result.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.taskqueue.protocol.internal.MsgpackTaskSerializer;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code result_serializer = 'msgpack'} Celery's Redis backend writes chord parts
 * and saved groups in msgpack too: so does this backend, and it reads both formats.
 */
class RedisMsgpackGroupIntegrationTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private LettuceConnectionFactory redis;

	private RedisResultBackend msgpack;

	private RedisResultBackend json;

	private final List<String> keys = new ArrayList<>();

	@BeforeEach
	void connect() {
		this.redis = Infrastructure.redis();
		this.msgpack = new RedisResultBackend(this.redis,
				new ResultCodec(this.mapper, new MsgpackTaskSerializer(this.mapper)), "", Duration.ofMinutes(5));
		this.json = new RedisResultBackend(this.redis, new ResultCodec(this.mapper), "", Duration.ofMinutes(5));
	}

	@AfterEach
	void close() throws Exception {
		try (RedisConnection connection = this.redis.getConnection()) {
			for (String key : this.keys) {
				connection.keyCommands().del(key.getBytes(StandardCharsets.UTF_8));
			}
		}
		this.msgpack.destroy();
		this.json.destroy();
		this.redis.destroy();
	}

	private String group() {
		String id = UUID.randomUUID().toString();
		String key = "celery-taskset-meta-" + id;
		this.keys.addAll(List.of(key, key + ".j", key + ".s", key + ".t"));
		return id;
	}

	@Test
	void chordPartsAreMsgpackAndARedeliveredPartCountsOnce() {
		String group = group();
		this.msgpack.setChordSize(group, 2);
		String first = UUID.randomUUID().toString();
		String second = UUID.randomUUID().toString();
		assertThat(this.msgpack.chordPartReturned(group, 0, first, TaskState.SUCCESS, "中文")).isNull();
		// The same part again (a redelivered message) replaces its entry instead of
		// counting twice.
		assertThat(this.msgpack.chordPartReturned(group, 0, first, TaskState.SUCCESS, "中文")).isNull();
		try (RedisConnection connection = this.redis.getConnection()) {
			Set<byte[]> members = connection.zSetCommands()
				.zRange(("celery-taskset-meta-" + group + ".j").getBytes(StandardCharsets.UTF_8), 0, -1);
			assertThat(members).hasSize(1);
			byte[] member = members.iterator().next();
			assertThat(member[0] & 0xff).as("a msgpack array of 4").isEqualTo(0x94);
		}
		List<ChordPart> parts = this.msgpack.chordPartReturned(group, 1, second, TaskState.FAILURE,
				List.of(1, new byte[] { 7 }));
		assertThat(parts).hasSize(2);
		assertThat(parts.get(0).taskId()).isEqualTo(first);
		assertThat(parts.get(0).result()).isEqualTo("中文");
		assertThat(parts.get(1).state()).isEqualTo(TaskState.FAILURE);
		assertThat((byte[]) ((List<?>) parts.get(1).result()).get(1)).containsExactly(7);
	}

	@Test
	void aSavedMsgpackGroupIsRestoredByEitherBackend() {
		String group = group();
		List<String> members = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
		this.msgpack.saveGroup(group, members);
		assertThat(this.msgpack.restoreGroup(group)).isEqualTo(members);
		assertThat(this.json.restoreGroup(group)).isEqualTo(members);
		String other = group();
		this.json.saveGroup(other, members);
		assertThat(this.msgpack.restoreGroup(other)).isEqualTo(members);
	}

}
