package dev.taskqueue.result.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.internal.RedisResultWaitIntegrationTests.CountingBackend;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.PrivateRedis;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results published on the sending client's reply channel: listened for there alone once
 * a route's workers are seen to reply, and found all the same when a worker that does not
 * reply runs the task.
 */
class RedisReplyChannelIntegrationTests {

	private static final long TIMEOUT_SECONDS = 10;

	private final LettuceConnectionFactory redis = Infrastructure.redis();

	private final StringRedisTemplate template = new StringRedisTemplate(this.redis);

	private final String prefix = Infrastructure.unique("replies") + ":";

	private final String route = " " + Infrastructure.unique("queue");

	private final ResultCodec codec = new ResultCodec(JsonMapper.builder().build());

	private final List<RedisResultBackend> backends = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (RedisResultBackend backend : this.backends) {
			backend.destroy();
		}
		List<String> keys = new ArrayList<>(this.template.keys(this.prefix + "*"));
		if (!keys.isEmpty()) {
			this.template.delete(keys);
		}
		this.redis.destroy();
	}

	@Test
	void theReplyChannelIsOneOfThisApplicationsAndSubscribedToOnceTheBackendStarted() throws Exception {
		CountingBackend backend = started();
		String channel = backend.replyChannel();
		assertThat(channel).startsWith(this.prefix + RedisResultBackend.REPLY_CHANNEL_PREFIX);
		assertThat(subscribers(channel)).isEqualTo(1);
	}

	@Test
	void aRouteSeenToReplyIsListenedForOnTheReplyChannelAloneWithoutARead() throws Exception {
		CountingBackend backend = started();
		String replyTo = backend.replyChannel();
		learnReplying(backend, replyTo);
		List<Runnable> subscriptions = new ArrayList<>();
		backend.setSubscriptionExecutor(subscriptions::add);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1), this.route);
		assertThat(pending.subscribed()).isDone();
		backend.storeAsync(meta, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		// No subscription of its own was asked for, and the record came without a read.
		assertThat(subscriptions).isEmpty();
		assertThat(backend.reads).hasValue(0);
	}

	@Test
	void aReplyThatCameBeforeItsSendListenedIsKeptForIt() throws Exception {
		CountingBackend backend = started();
		String replyTo = backend.replyChannel();
		// A fast worker: the task is run and its result published before the send that
		// asked for the reply listens, right after its message is written.
		ResultMeta meta = success();
		backend.storeAsync(meta, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Awaitility.await()
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.until(() -> backend.hasEarlyReply(meta.taskId()));
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1), this.route);
		assertThat(pending.future()).isCompleted();
		assertThat(pending.future().get().result()).isEqualTo(42);
		assertThat(backend.reads).hasValue(0);
		assertThat(backend.hasEarlyReply(meta.taskId())).isFalse();
		// It counted as a reply: the route's next result is listened for on the reply
		// channel alone.
		List<Runnable> subscriptions = new ArrayList<>();
		backend.setSubscriptionExecutor(subscriptions::add);
		ResultMeta next = success();
		PendingResult replyOnly = backend.listenAfterPublish(next.taskId(), Duration.ofMinutes(1), this.route);
		backend.storeAsync(next, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(replyOnly.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		assertThat(subscriptions).isEmpty();
	}

	@Test
	void aReplyNoSendListensForIsDroppedAfterAWhile() throws Exception {
		CountingBackend backend = started();
		ResultMeta meta = success();
		backend.storeAsync(meta, backend.replyChannel()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		Awaitility.await()
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.until(() -> backend.hasEarlyReply(meta.taskId()));
		Awaitility.await()
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.until(() -> !backend.hasEarlyReply(meta.taskId()));
	}

	@Test
	void aResultStoredWithoutItsReplyIsReadOnceACallerWaitsAndTheRouteIsSubscribedToAgain() throws Exception {
		CountingBackend backend = started();
		String replyTo = backend.replyChannel();
		learnReplying(backend, replyTo);
		// A worker that does not reply (a Python one) runs the task.
		ResultMeta meta = success();
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1), this.route);
		backend.store(meta);
		assertThat(RedisResultWaitIntegrationTests.handle(backend, meta.taskId(), pending)
			.get(Duration.ofSeconds(TIMEOUT_SECONDS), Integer.class)).isEqualTo(42);
		assertThat(backend.reads).hasValue(1);
		assertThatTheRouteIsSubscribedToAgain(backend);
	}

	@Test
	void aResultStoredWithoutItsReplyAfterACallerBeganToWaitIsHeardOnItsOwnChannel() throws Exception {
		CountingBackend backend = started();
		String replyTo = backend.replyChannel();
		learnReplying(backend, replyTo);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1), this.route);
		TaskResult result = RedisResultWaitIntegrationTests.handle(backend, meta.taskId(), pending);
		CompletableFuture<Integer> waited = CompletableFuture
			.supplyAsync(() -> result.get(Duration.ofSeconds(TIMEOUT_SECONDS), Integer.class));
		// No reply comes: the waiting caller subscribes to the result's own channel.
		Awaitility.await()
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.until(() -> subscribers(backend.key(meta.taskId())) == 1);
		backend.store(meta);
		assertThat(waited.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(42);
		assertThatTheRouteIsSubscribedToAgain(backend);
		Awaitility.await()
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.until(() -> subscribers(backend.key(meta.taskId())) == 0);
	}

	@Test
	void aReplyChannelThatIsNotThisApplicationsGetsNoRecord() throws Exception {
		CountingBackend backend = started();
		ResultMeta victim = success();
		PendingResult listening = backend.listenAfterPublish(victim.taskId(), Duration.ofMinutes(1));
		listening.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		// A message naming another channel, Celery's result channel of another task
		// among them, has its result stored, and published on its own channel only.
		List<String> notReplies = List.of(backend.key(victim.taskId()),
				this.prefix + RedisResultBackend.REPLY_CHANNEL_PREFIX + "not an id",
				this.prefix + RedisResultBackend.REPLY_CHANNEL_PREFIX + "x".repeat(65),
				this.prefix + RedisResultBackend.REPLY_CHANNEL_PREFIX);
		for (String replyTo : notReplies) {
			ResultMeta meta = success();
			backend.storeAsync(meta, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			backend.store(success(), replyTo);
			assertThat(backend.get(meta.taskId()).result()).isEqualTo(42);
		}
		// Notifications arrive in order: one published on the victim's channel before
		// its own would have come first, and failed to decode as its record.
		backend.store(victim);
		assertThat(listening.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).taskId()).isEqualTo(victim.taskId());
	}

	@Test
	void aMalformedMessageOnTheReplyChannelIsIgnored() throws Exception {
		CountingBackend backend = started();
		String replyTo = backend.replyChannel();
		learnReplying(backend, replyTo);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1), this.route);
		for (String malformed : List.of("", "garbage", "99:short", "36:" + meta.taskId(), ":" + meta.taskId(),
				"123456:x")) {
			this.template.convertAndSend(replyTo, malformed);
		}
		backend.storeAsync(meta, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
	}

	@Test
	void aResultWithoutARouteIsSubscribedToAsBefore() throws Exception {
		CountingBackend backend = started();
		String replyTo = backend.replyChannel();
		learnReplying(backend, replyTo);
		// A send that did not name the reply channel (it was not subscribed yet).
		ResultMeta meta = success();
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(subscribers(backend.key(meta.taskId()))).isEqualTo(1);
		backend.store(meta);
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
	}

	@Test
	void resultsListenedForOnTheReplyChannelAcrossARedisRestartAreDelivered() throws Exception {
		try (PrivateRedis server = new PrivateRedis()) {
			server.start();
			// Lettuce reconnects 3 s after the connection is lost: Redis is back before
			// the backend's connections are.
			ClientResources resources = DefaultClientResources.builder()
				.reconnectDelay(Delay.constant(Duration.ofSeconds(3)))
				.build();
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", server.port),
					LettuceClientConfiguration.builder()
						.clientResources(resources)
						.commandTimeout(Duration.ofSeconds(10))
						.build());
			factory.afterPropertiesSet();
			factory.start();
			CountingBackend backend = new CountingBackend(factory, this.codec, this.prefix);
			try {
				backend.start();
				Awaitility.await()
					.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
					.until(() -> backend.replyChannel() != null);
				String replyTo = backend.replyChannel();
				learnReplying(backend, replyTo, (channel) -> Long
					.parseLong(server.command("PUBSUB", "NUMSUB", channel).trim().split("\n")[1].trim()));
				ResultMeta heard = success();
				PendingResult heardPending = backend.listenAfterPublish(heard.taskId(), Duration.ofMinutes(1),
						this.route);
				ResultMeta missed = success();
				PendingResult missedPending = backend.listenAfterPublish(missed.taskId(), Duration.ofMinutes(1),
						this.route);
				missedPending.awaiting();
				server.stop();
				server.start();
				// Stored, and replied, before the backend's connections are back: the
				// reply goes unheard.
				server.command("EVAL",
						"redis.call('SET', KEYS[1], ARGV[1]); redis.call('PUBLISH', ARGV[2], ARGV[3] .. ARGV[1]); "
								+ "return 0",
						"1", backend.key(missed.taskId()),
						new String(this.codec.encodeBytes(missed), StandardCharsets.UTF_8), replyTo,
						missed.taskId().length() + ":" + missed.taskId());
				// Once the reply channel is subscribed to again, a caller waiting is
				// given
				// the result read, and a reply is heard again.
				assertThat(missedPending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
				Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).ignoreExceptions().until(() -> {
					backend.storeAsync(heard, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
					return true;
				});
				assertThat(heardPending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
				assertThat(server.command("PUBSUB", "NUMSUB", replyTo)).endsWith("\n1\n");
			}
			finally {
				backend.destroy();
				factory.destroy();
				resources.shutdown();
			}
		}
	}

	/**
	 * A first result of the route, subscribed to on its own channel, arrives on the reply
	 * channel too.
	 */
	private void learnReplying(CountingBackend backend, String replyTo) throws Exception {
		learnReplying(backend, replyTo, this::subscribers);
	}

	private void learnReplying(CountingBackend backend, String replyTo, Subscribers subscribers) throws Exception {
		ResultMeta first = success();
		PendingResult learning = backend.listenAfterPublish(first.taskId(), Duration.ofMinutes(1), this.route);
		learning.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(subscribers.of(backend.key(first.taskId()))).isEqualTo(1);
		backend.storeAsync(first, replyTo).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(learning.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		backend.reads.set(0);
	}

	private void assertThatTheRouteIsSubscribedToAgain(CountingBackend backend) throws Exception {
		ResultMeta next = success();
		PendingResult pending = backend.listenAfterPublish(next.taskId(), Duration.ofMinutes(1), this.route);
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(subscribers(backend.key(next.taskId()))).isEqualTo(1);
		backend.store(next);
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
	}

	private CountingBackend started() {
		CountingBackend backend = new CountingBackend(this.redis, this.codec, this.prefix);
		this.backends.add(backend);
		backend.start();
		Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(() -> backend.replyChannel() != null);
		return backend;
	}

	@SuppressWarnings("unchecked")
	private long subscribers(String channel) throws Exception {
		try (RedisConnection connection = this.redis.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			Map<byte[], Long> counts = commands.pubsubNumsub(channel.getBytes(StandardCharsets.UTF_8))
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
			return counts.values().stream().mapToLong(Long::longValue).sum();
		}
	}

	private static ResultMeta success() {
		return new ResultMeta(UUID.randomUUID().toString(), TaskState.SUCCESS, 42, null, List.of(),
				"2026-12-08T03:00:00.000000", null, null, "test.answer", List.of(), Map.of(), "worker@test", 0, "q");
	}

	/** Counts the subscribers of a channel. */
	@FunctionalInterface
	private interface Subscribers {

		long of(String channel) throws Exception;

	}

}
