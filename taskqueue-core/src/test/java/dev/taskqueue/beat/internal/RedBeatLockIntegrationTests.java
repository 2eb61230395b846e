package dev.taskqueue.beat.internal;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RedBeat's keys and lock protocol, as the captures show them: the key names each prefix
 * and lock setting gives ({@code encodings.json}), {@code SET NX PX} to take the lock, an
 * extend that resets its time to live to the full timeout, and compare-token release.
 */
class RedBeatLockIntegrationTests {

	private final BeatFixture fixture = new BeatFixture();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void keysAreNamedAsRedBeatNamesThem() {
		JsonNode configs = RedBeatVectors.read("encodings.json").get("configs");
		assertKeys(configs.get("default prefix"), new RedBeatKeys("redbeat:", null, false));
		assertKeys(configs.get("prefix 'enc:'"), new RedBeatKeys("enc:", null, false));
		assertKeys(configs.get("prefix 'nocolon'"), new RedBeatKeys("nocolon", null, false));
		assertKeys(configs.get("prefix 'enc:', redbeat_lock_key='mylock'"), new RedBeatKeys("enc:", "mylock", false));
		assertKeys(configs.get("prefix 'enc:', redbeat_lock_key='enc:custom'"),
				new RedBeatKeys("enc:", "enc:custom", false));
		assertThat(new RedBeatKeys("redbeat:", null, true).statics()).isEqualTo("redbeat::statics");
	}

	@Test
	void theLockIsTakenOnceExtendedToItsFullTimeoutAndReleasedOnlyByItsHolder() {
		RedBeatKeys keys = this.fixture.keys;
		BeatLock java = new BeatLock(this.fixture.redis, keys, "java:one", Duration.ofSeconds(30));
		BeatLock other = new BeatLock(this.fixture.redis, keys, "cb1cbb6cf1e711f1998200000000c0de",
				Duration.ofSeconds(30));
		assertThat(java.acquire()).isTrue();
		assertThat(other.acquire()).isFalse();
		assertThat(this.fixture.redis.opsForValue().get(keys.lock())).isEqualTo("java:one");
		// As RedBeat's LUA_EXTEND_TO_SCRIPT: the time to live becomes the full timeout
		// again, whatever was left of it.
		this.fixture.redis.expire(keys.lock(), Duration.ofSeconds(2));
		assertThat(java.extend()).isTrue();
		assertThat(this.fixture.redis.getExpire(keys.lock())).isGreaterThan(25);
		assertThat(other.extend()).isFalse();
		assertThat(other.release()).isFalse();
		assertThat(java.release()).isTrue();
		assertThat(this.fixture.redis.hasKey(keys.lock())).isFalse();
		assertThat(other.acquire()).isTrue();
		assertThat(this.fixture.redis.opsForValue().get(keys.epoch())).isEqualTo("2");
	}

	@Test
	void aLockWithoutATimeToLiveIsNotExtendedAsRedBeatRefusesIt() {
		BeatLock java = new BeatLock(this.fixture.redis, this.fixture.keys, "java:one", Duration.ofSeconds(30));
		this.fixture.redis.opsForValue().set(this.fixture.keys.lock(), "java:one");
		assertThat(java.extend()).isFalse();
	}

	private static void assertKeys(JsonNode expected, RedBeatKeys keys) {
		assertThat(keys.schedule()).isEqualTo(expected.get("schedule_key").asString());
		assertThat(keys.lock()).isEqualTo(expected.get("lock_key").asString());
		assertThat(keys.entry("job")).isEqualTo(expected.get("entry_key_for_name_job").asString());
		assertThat(new RedBeatKeys(keys.prefix(), null, true).statics())
			.isEqualTo(expected.get("statics_key").asString());
	}

}
