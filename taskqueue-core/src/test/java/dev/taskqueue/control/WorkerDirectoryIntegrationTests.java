package dev.taskqueue.control;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.taskqueue.control.WorkerInfo;
import dev.taskqueue.support.Infrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing workers from their records in Redis.
 */
class WorkerDirectoryIntegrationTests {

	private final LettuceConnectionFactory redis = Infrastructure.redis();

	private final StringRedisTemplate template = new StringRedisTemplate(this.redis);

	private final String id = UUID.randomUUID().toString().substring(0, 8);

	@AfterEach
	void close() {
		this.template
			.delete(List.of(key("tq-test-dir-" + this.id + "[1]:", "a"), key("tq-test-dir-" + this.id + "1:", "b"),
					key("tq-test-dir-" + this.id + ":", "broken"), key("tq-test-dir-" + this.id + ":", "fine")));
		this.redis.destroy();
	}

	@Test
	void globCharactersInTheKeyPrefixAreTakenLiterally() {
		// Unescaped, the pattern "...[1]:*" would also match the second application's
		// "...1:" keys.
		WorkerDirectory bracketed = new WorkerDirectory(this.redis, "tq-test-dir-" + this.id + "[1]:");
		WorkerDirectory plain = new WorkerDirectory(this.redis, "tq-test-dir-" + this.id + "1:");
		bracketed.write(worker("a"), "i-a", Duration.ofSeconds(30));
		plain.write(worker("b"), "i-b", Duration.ofSeconds(30));
		assertThat(bracketed.list()).extracting(WorkerInfo::name).containsExactly("a");
		assertThat(plain.list()).extracting(WorkerInfo::name).containsExactly("b");
	}

	@Test
	void anUnreadableRecordIsSkippedAndTheOthersListed() {
		String prefix = "tq-test-dir-" + this.id + ":";
		WorkerDirectory directory = new WorkerDirectory(this.redis, prefix);
		directory.write(worker("fine"), "i-fine", Duration.ofSeconds(30));
		this.template.opsForValue().set(key(prefix, "broken"), "{not json", Duration.ofSeconds(30));
		assertThat(directory.list()).extracting(WorkerInfo::name).containsExactly("fine");
	}

	@Test
	void recordsCarryTheirTtl() {
		String prefix = "tq-test-dir-" + this.id + ":";
		new WorkerDirectory(this.redis, prefix).write(worker("fine"), "i-fine", Duration.ofSeconds(6));
		assertThat(this.template.getExpire(key(prefix, "fine"))).isBetween(1L, 6L);
	}

	private static String key(String prefix, String name) {
		return prefix + WorkerDirectory.KEY_PREFIX + name;
	}

	private static WorkerInfo worker(String name) {
		Instant now = Instant.now();
		return new WorkerInfo(name, "host", 1, List.of("q"), 1, 0, now, now);
	}

}
