package dev.taskqueue.beat.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import dev.taskqueue.beat.BeatStatus;
import dev.taskqueue.beat.PeriodicTask;
import dev.taskqueue.beat.Schedule;
import dev.taskqueue.support.CuttableProxy;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.LogCapture;
import io.lettuce.core.ClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A beat whose Redis goes away: it pauses, says so once, resumes by itself when Redis
 * answers again, and fires the runs it missed as each entry's policy says.
 */
class BeatOutageIntegrationTests {

	private final BeatFixture fixture = new BeatFixture();

	@AfterEach
	void close() {
		this.fixture.close();
	}

	@Test
	void aBeatPausesWhileRedisIsAwayAndResumesWithTheMissedRunsOnce() {
		String name = Infrastructure.unique("outage");
		this.fixture.clock.set(Instant.parse("2026-12-07T10:00:00Z"));
		this.fixture.tasks()
			.add(PeriodicTask.builder(name, "beat.tick").schedule(Schedule.cron("0 * * * * *")).build());
		try (CuttableProxy proxy = new CuttableProxy(Infrastructure.REDIS_HOST, Infrastructure.REDIS_PORT);
				LogCapture log = LogCapture.of(Beat.class)) {
			LettuceConnectionFactory viaProxy = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", proxy.port()),
					LettuceClientConfiguration.builder()
						.commandTimeout(Duration.ofMillis(500))
						.clientOptions(ClientOptions.builder()
							.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
							.build())
						.build());
			viaProxy.afterPropertiesSet();
			viaProxy.start();
			try {
				Beat beat = this.fixture.beat("a", this.fixture.settings(Duration.ofSeconds(3), Duration.ofMillis(100)),
						viaProxy, List.of());
				beat.start();
				await().atMost(Duration.ofSeconds(10)).until(beat::isLeader);
				proxy.cut();
				await().atMost(Duration.ofSeconds(10)).until(() -> beat.status().state() == BeatStatus.State.PAUSED);
				// Three runs fall due while Redis is away.
				this.fixture.clock.set(Instant.parse("2026-12-07T10:03:30Z"));
				assertThat(this.fixture.drain()).isEmpty();
				proxy.restore();
				await().atMost(Duration.ofSeconds(30)).until(() -> beat.status().state() == BeatStatus.State.LEADER);
				List<String> ids = new ArrayList<>();
				await().atMost(Duration.ofSeconds(10)).until(() -> {
					ids.addAll(this.fixture.drainIds());
					return !ids.isEmpty();
				});
				long ticks = beat.completedTicks();
				await().atMost(Duration.ofSeconds(10)).until(() -> beat.completedTicks() > ticks + 2);
				ids.addAll(this.fixture.drainIds());
				assertThat(ids)
					.containsExactly("beat:" + name + ":" + Instant.parse("2026-12-07T10:01:00Z").getEpochSecond());
				assertThat(this.fixture.score(name)).isEqualTo(Instant.parse("2026-12-07T10:04:00Z").getEpochSecond());
				assertThat(log.messages(Level.WARN)).filteredOn((message) -> message.startsWith("Beat paused"))
					.hasSize(1);
				assertThat(log.messages(Level.INFO)).contains("Beat resumed: Redis answers again");
				beat.stop();
			}
			finally {
				viaProxy.destroy();
			}
		}
	}

}
