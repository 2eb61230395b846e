package dev.taskqueue.result.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.client.TaskClient;
import dev.taskqueue.client.TaskResult;
import dev.taskqueue.client.TaskTimeoutException;
import dev.taskqueue.client.internal.StoredTaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.PrivateRedis;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How callers wait for results: on one subscription kept open between waits, and by
 * reading the key when no subscription can be made.
 */
class RedisResultWaitIntegrationTests {

	private static final long TIMEOUT_SECONDS = 10;

	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(3);

	private final LettuceConnectionFactory redis = Infrastructure.redis();

	private final StringRedisTemplate template = new StringRedisTemplate(this.redis);

	private final String prefix = Infrastructure.unique("results") + ":";

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
	void theSubscriptionStaysOpenBetweenSequentialWaits() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		for (int i = 0; i < 3; i++) {
			ResultMeta meta = success();
			CompletableFuture<ResultMeta> ready = backend.whenReady(meta.taskId());
			backend.store(meta);
			assertThat(ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
			// No waiter is left (it unsubscribes after the caller has its result), yet
			// the
			// backend's own channel is still subscribed: the next wait does not open a
			// new
			// subscription.
			Awaitility.await()
				.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
				.untilAsserted(() -> assertThat(subscribedChannels()).hasSize(1));
		}
	}

	@Test
	void notificationsReachWaitersOnTheBackendsOwnThreadsNotOneStartedPerMessage() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		List<Thread> completers = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ResultMeta meta = success();
			CompletableFuture<Thread> completer = backend.whenReady(meta.taskId())
				.thenApply((ready) -> Thread.currentThread());
			Thread.sleep(50);
			assertThat(completer).isNotDone();
			backend.store(meta);
			completers.add(completer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
		}
		assertThat(completers).allSatisfy((thread) -> assertThat(thread.getName()).startsWith("taskqueue-result-"));
		// A pool of two: five notifications cannot each have had a thread of their own.
		assertThat(completers.stream().distinct()).hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void aCallerThatWaitsIsWokenByTheNotificationWithoutAHandOff() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		ResultMeta meta = success();
		CompletableFuture<Thread> completer = backend.whenReadyToWait(meta.taskId())
			.thenApply((ready) -> Thread.currentThread());
		Thread.sleep(50);
		assertThat(completer).isNotDone();
		backend.store(meta);
		Thread thread = completer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(thread.getName()).doesNotStartWith("taskqueue-result-")
			.isNotEqualTo(Thread.currentThread().getName());
		// Done with the result, the waiter still unsubscribes (off that thread).
		awaitUnsubscribed(backend, meta.taskId());
	}

	@Test
	void aWaiterWithoutSubscriptionReadsTheKeyUntilTheResultIsThere() throws Exception {
		RedisResultBackend backend = backend(withoutSubscriptions(this.redis));
		ResultMeta meta = success();
		CompletableFuture<ResultMeta> ready = backend.whenReady(meta.taskId());
		Thread.sleep(300);
		assertThat(ready).isNotDone();
		backend.store(meta);
		assertThat(ready.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void aResultListenedForAheadIsDeliveredByItsNotificationWithoutARead() throws Exception {
		CountingBackend backend = counting(this.redis);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		pending.publishing();
		backend.store(meta);
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		assertThat(backend.reads).hasValue(0);
		// Delivered, it stops listening.
		awaitUnsubscribed(backend, meta.taskId());
	}

	@Test
	void aResultStoredBeforeTheSubscriptionWasInPlaceIsReadOnceACallerWaits() throws Exception {
		CountingBackend backend = counting(this.redis);
		List<Runnable> subscriptions = new ArrayList<>();
		backend.setSubscriptionExecutor(subscriptions::add);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		// Published, and its result stored, before the subscription is made: the
		// notification goes unheard.
		pending.publishing();
		backend.store(meta);
		assertThat(subscriptions).hasSize(1);
		subscriptions.get(0).run();
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		// No one waits yet (a send whose result is never asked for): no read.
		Awaitility.await()
			.during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.until(() -> backend.reads.get() == 0 && !pending.future().isDone());
		TaskResult result = handle(backend, meta.taskId(), pending);
		assertThat(result.get(Duration.ofSeconds(TIMEOUT_SECONDS), Integer.class)).isEqualTo(42);
		assertThat(backend.reads).hasValue(1);
		awaitUnsubscribed(backend, meta.taskId());
	}

	@Test
	void aMissedNotificationNoOneWaitsForIsReadOnceLateAndEndsTheListening() throws Exception {
		CountingBackend backend = counting(this.redis);
		backend.start();
		List<Runnable> subscriptions = new ArrayList<>();
		backend.setSubscriptionExecutor(subscriptions::add);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1));
		backend.store(meta);
		subscriptions.get(0).run();
		// Not left listening until its minute is up.
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		assertThat(backend.reads).hasValue(1);
		awaitUnsubscribed(backend, meta.taskId());
	}

	@Test
	void aCallerWaitingBeforeTheSubscriptionIsInPlaceHasTheResultReadOnceItIs() throws Exception {
		CountingBackend backend = counting(this.redis);
		List<Runnable> subscriptions = new ArrayList<>();
		backend.setSubscriptionExecutor(subscriptions::add);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		pending.publishing();
		backend.store(meta);
		pending.awaiting();
		assertThat(backend.reads).hasValue(0);
		subscriptions.get(0).run();
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		assertThat(backend.reads).hasValue(1);
	}

	@Test
	void listeningAheadAgainForATaskWhoseListeningJustEndedKeepsItsSubscription() throws Exception {
		CountingBackend backend = counting(this.redis);
		ResultMeta meta = success();
		for (int i = 0; i < 20; i++) {
			backend.listenAhead(meta.taskId(), Duration.ofMinutes(1)).future().cancel(false);
		}
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		pending.publishing();
		backend.store(meta);
		// Delivered by its notification: the earlier listenings' unsubscriptions came
		// before this subscription.
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
		assertThat(backend.reads).hasValue(0);
		awaitUnsubscribed(backend, meta.taskId());
	}

	@Test
	void listeningAheadEndsWhenItsTimeRunsOutThoughNoResultCame() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		String taskId = UUID.randomUUID().toString();
		PendingResult pending = backend.listenAhead(taskId, Duration.ofMillis(200));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		pending.publishing();
		assertThat(pending.future()).failsWithin(Duration.ofSeconds(TIMEOUT_SECONDS))
			.withThrowableThat()
			.withCauseInstanceOf(TimeoutException.class);
		awaitUnsubscribed(backend, taskId);
	}

	@Test
	void aSendWhileRedisIsDownDoesNotWaitForItAndListensOnceItIsBack() throws Exception {
		try (PrivateRedis server = new PrivateRedis()) {
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", server.port));
			factory.afterPropertiesSet();
			factory.start();
			try {
				RedisResultBackend backend = backend(factory);
				// Each send asks to listen ahead, on a backend not started yet, with
				// nothing on the port: none may wait for Redis, and none listens.
				Assertions.assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS), () -> {
					for (int i = 0; i < 30; i++) {
						assertThat(backend.listenAfterPublish(UUID.randomUUID().toString(), Duration.ofMinutes(1)))
							.isNull();
					}
				});
				server.start();
				ResultMeta meta = success();
				PendingResult pending = Awaitility.await()
					.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
					.until(() -> backend.listenAfterPublish(meta.taskId(), Duration.ofMinutes(1)), Objects::nonNull);
				// The pub/sub connection refused at the start is opened once Redis is
				// back.
				Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(backend::hasPubSubConnection);
				pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
				backend.store(meta);
				assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
			}
			finally {
				factory.destroy();
			}
		}
	}

	@Test
	void resultsListenedForAheadAcrossABriefRedisRestartAreDeliveredAndLeaveNoSubscription() throws Exception {
		// Back well within the command timeout: Lettuce still holds what was written
		// meanwhile.
		listenAheadAcrossARestart(Duration.ofSeconds(10), Duration.ofMillis(300));
	}

	@Test
	void resultsListenedForAheadAcrossARedisRestartLongerThanTheCommandTimeoutAreDeliveredAndLeaveNoSubscription()
			throws Exception {
		// Down for longer than the command timeout: the SUBSCRIBE and UNSUBSCRIBE written
		// meanwhile time out before they could be sent.
		listenAheadAcrossARestart(Duration.ofMillis(500), Duration.ofMillis(1200));
	}

	/**
	 * Listen ahead for results, kill Redis, listen ahead and give up listening while it
	 * is down, start it again (empty), store the results, and check every waiter.
	 */
	private void listenAheadAcrossARestart(Duration commandTimeout, Duration down) throws Exception {
		try (PrivateRedis server = new PrivateRedis()) {
			server.start();
			// Lettuce tries to reconnect every 3 s, not at once: Redis is back (within
			// that time) before the backend's connections are.
			ClientResources resources = DefaultClientResources.builder()
				.reconnectDelay(Delay.constant(RECONNECT_DELAY))
				.build();
			LettuceConnectionFactory factory = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", server.port),
					LettuceClientConfiguration.builder()
						.clientResources(resources)
						.commandTimeout(commandTimeout)
						.build());
			factory.afterPropertiesSet();
			factory.start();
			CountingBackend backend = counting(factory);
			try {
				backend.start();
				Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(backend::hasPubSubConnection);
				// Heard: its result is stored after the restart, delivered by its
				// notification once Lettuce subscribed again.
				ResultMeta heard = success();
				PendingResult heardPending = listenedAhead(backend, heard.taskId());
				// Awaited: a caller waits for it all along.
				ResultMeta awaited = success();
				PendingResult awaitedPending = listenedAhead(backend, awaited.taskId());
				awaitedPending.awaiting();
				// Missed: its result is stored after the restart before the pub/sub
				// connection is back (Redis restarts within the reconnect delay), so its
				// notification goes unheard, and is read once
				// a
				// caller waits.
				ResultMeta missed = success();
				PendingResult missedPending = listenedAhead(backend, missed.taskId());
				// Lost: its result never comes (a worker stored it just before the
				// restart wiped Redis, say).
				String lost = UUID.randomUUID().toString();
				PendingResult lostPending = listenedAhead(backend, lost);
				// Given up while Redis is down.
				String givenUp = UUID.randomUUID().toString();
				PendingResult givenUpPending = listenedAhead(backend, givenUp);
				// Waited for while Redis is down.
				String waitedWhileDown = UUID.randomUUID().toString();
				PendingResult waitedWhileDownPending = listenedAhead(backend, waitedWhileDown);
				server.stop();
				long stopped = System.nanoTime();
				ResultMeta during = success();
				PendingResult[] duringPending = new PendingResult[1];
				String givenUpDuring = UUID.randomUUID().toString();
				Assertions.assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS), () -> {
					// Sends while Redis is down never wait for it.
					duringPending[0] = backend.listenAfterPublish(during.taskId(), Duration.ofMinutes(1));
					backend.listenAfterPublish(givenUpDuring, Duration.ofMinutes(1)).future().cancel(false);
					givenUpPending.future().cancel(false);
				});
				if (down.compareTo(commandTimeout) > 0) {
					// Its time runs out, and the read that follows fails once the command
					// timeout passes: the store's error, not a hang.
					TaskResult waited = handle(backend, waitedWhileDown, waitedWhileDownPending);
					Assertions.assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS),
							() -> assertThatExceptionOfType(DataAccessException.class)
								.isThrownBy(() -> waited.get(Duration.ofMillis(200))));
				}
				else {
					waitedWhileDownPending.future().cancel(false);
				}
				Thread.sleep(Math.max(0, down.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));
				server.start();
				// Stored on its own connection, before the backend's are back.
				String publishedTo = server.command("EVAL",
						"redis.call('SET', KEYS[1], ARGV[1]); return redis.call('PUBLISH', KEYS[1], ARGV[1])", "1",
						backend.key(missed.taskId()),
						new String(this.codec.encodeBytes(missed), StandardCharsets.UTF_8));
				assertThat(publishedTo.trim()).as("subscribers reached").isEqualTo("0");
				// Stored once Lettuce subscribed again: delivered by their notifications.
				for (String taskId : List.of(heard.taskId(), awaited.taskId())) {
					Awaitility.await()
						.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
						.untilAsserted(() -> assertThat(server.command("PUBSUB", "NUMSUB", backend.key(taskId)))
							.endsWith("\n1\n"));
				}
				for (ResultMeta meta : List.of(heard, awaited, during)) {
					Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).ignoreExceptions().until(() -> {
						backend.store(meta);
						return true;
					});
				}
				assertThat(heardPending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
				assertThat(awaitedPending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).result()).isEqualTo(42);
				// Its SUBSCRIBE may have timed out before Redis was back: then it is no
				// longer listened for (rather than until its minute is up), and waited
				// for the usual way.
				Awaitility.await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).until(duringPending[0].future()::isDone);
				assertThat(handle(backend, during.taskId(), duringPending[0]).get(Duration.ofSeconds(TIMEOUT_SECONDS),
						Integer.class))
					.isEqualTo(42);
				assertThat(handle(backend, missed.taskId(), missedPending).get(Duration.ofSeconds(TIMEOUT_SECONDS),
						Integer.class))
					.isEqualTo(42);
				// Never stored: a clear timeout, in about the time asked for.
				TaskResult lostResult = handle(backend, lost, lostPending);
				Assertions.assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_SECONDS),
						() -> assertThatExceptionOfType(TaskTimeoutException.class)
							.isThrownBy(() -> lostResult.get(Duration.ofMillis(500))));
				for (String taskId : List.of(heard.taskId(), awaited.taskId(), missed.taskId(), during.taskId(), lost,
						givenUp, givenUpDuring, waitedWhileDown)) {
					Awaitility.await()
						.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
						.untilAsserted(() -> assertThat(server.command("PUBSUB", "NUMSUB", backend.key(taskId)))
							.as("subscribers of %s", taskId)
							.endsWith("\n0\n"));
				}
			}
			finally {
				// Before the factory, whose destruction closes its connections.
				this.backends.remove(backend);
				backend.destroy();
				factory.destroy();
				resources.shutdown();
			}
		}
	}

	private PendingResult listenedAhead(RedisResultBackend backend, String taskId) throws Exception {
		PendingResult pending = backend.listenAfterPublish(taskId, Duration.ofMinutes(1));
		assertThat(pending).isNotNull();
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		return pending;
	}

	@Test
	void listeningAheadEndsWhenItsFutureIsCancelled() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		String taskId = UUID.randomUUID().toString();
		PendingResult pending = backend.listenAhead(taskId, Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(subscribedChannels(backend.key(taskId))).hasSize(1);
		pending.future().cancel(false);
		awaitUnsubscribed(backend, taskId);
	}

	@Test
	void listeningAheadCancelledBeforeItsSubscriptionLeavesNoSubscription() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String taskId = UUID.randomUUID().toString();
			ids.add(taskId);
			backend.listenAhead(taskId, Duration.ofMinutes(1)).future().cancel(false);
		}
		for (String taskId : ids) {
			awaitUnsubscribed(backend, taskId);
		}
	}

	@Test
	void listeningAheadWithoutSubscriptionReadsTheKeyUntilTheResultIsThere() throws Exception {
		RedisResultBackend backend = backend(withoutSubscriptions(this.redis));
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		pending.publishing();
		backend.store(meta);
		assertThat(pending.future().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(TaskState.SUCCESS);
	}

	@Test
	void getAfterSendFindsTheResultDeliveredWithoutARead() throws Exception {
		CountingBackend backend = counting(this.redis);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		pending.publishing();
		backend.store(meta);
		TaskResult result = handle(backend, meta.taskId(), pending);
		assertThat(result.get(Duration.ofSeconds(TIMEOUT_SECONDS), Integer.class)).isEqualTo(42);
		assertThat(result.toFuture(Integer.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo(42);
		assertThat(backend.reads).hasValue(0);
	}

	@Test
	void getAfterTheListeningEndedReadsTheResult() throws Exception {
		CountingBackend backend = counting(this.redis);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMillis(100));
		pending.publishing();
		assertThat(pending.future()).failsWithin(Duration.ofSeconds(TIMEOUT_SECONDS));
		// Stored once no one listens: the notification is missed.
		backend.store(meta);
		TaskResult result = handle(backend, meta.taskId(), pending);
		assertThat(result.get(Duration.ofSeconds(TIMEOUT_SECONDS), Integer.class)).isEqualTo(42);
		assertThat(backend.reads).hasPositiveValue();
	}

	@Test
	void getWhoseNotificationDoesNotComeInTimeStillFindsAStoredResult() throws Exception {
		CountingBackend backend = counting(this.redis);
		List<Runnable> subscriptions = new ArrayList<>();
		backend.setSubscriptionExecutor(subscriptions::add);
		ResultMeta meta = success();
		PendingResult pending = backend.listenAhead(meta.taskId(), Duration.ofMinutes(1));
		pending.publishing();
		// The subscription is not made (a backlog of them, say) while the result is
		// stored.
		backend.store(meta);
		TaskResult result = handle(backend, meta.taskId(), pending);
		assertThat(result.get(Duration.ofMillis(50), Integer.class)).isEqualTo(42);
		assertThat(backend.reads).hasValue(1);
		assertThat(pending.future()).isCancelled();
		backend.setSubscriptionExecutor(Runnable::run);
		List.copyOf(subscriptions).forEach(Runnable::run);
		awaitUnsubscribed(backend, meta.taskId());
	}

	@Test
	void getThatGivesUpEndsTheListening() throws Exception {
		RedisResultBackend backend = backend(this.redis);
		String taskId = UUID.randomUUID().toString();
		PendingResult pending = backend.listenAhead(taskId, Duration.ofMinutes(1));
		pending.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
		pending.publishing();
		TaskResult result = handle(backend, taskId, pending);
		assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(() -> result.get(Duration.ofMillis(50)));
		assertThat(pending.future()).isCancelled();
		awaitUnsubscribed(backend, taskId);
	}

	/**
	 * A caller's handle on a result listened for ahead, as a send returns it; its client
	 * is never called.
	 */
	static TaskResult handle(RedisResultBackend backend, String taskId, PendingResult pending) {
		TaskClient client = (TaskClient) Proxy.newProxyInstance(RedisResultWaitIntegrationTests.class.getClassLoader(),
				new Class<?>[] { TaskClient.class }, (proxy, method, args) -> {
					throw new UnsupportedOperationException(method.getName());
				});
		return new StoredTaskResult(taskId, backend, JsonMapper.builder().build(), client, pending);
	}

	/** Wait until no subscriber is left on a task's result channel. */
	private void awaitUnsubscribed(RedisResultBackend backend, String taskId) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
			.untilAsserted(() -> assertThat(subscribedChannels(backend.key(taskId))).isEmpty());
	}

	private List<String> subscribedChannels() throws Exception {
		return subscribedChannels(this.prefix + "taskqueue-results-*");
	}

	@SuppressWarnings("unchecked")
	private List<String> subscribedChannels(String pattern) throws Exception {
		try (RedisConnection connection = this.redis.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			return commands.pubsubChannels(pattern.getBytes(StandardCharsets.UTF_8))
				.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
				.stream()
				.map((channel) -> new String(channel, StandardCharsets.UTF_8))
				.toList();
		}
	}

	private RedisResultBackend backend(RedisConnectionFactory factory) {
		RedisResultBackend backend = new RedisResultBackend(factory, this.codec, this.prefix, Duration.ofMinutes(5));
		this.backends.add(backend);
		return backend;
	}

	private CountingBackend counting(RedisConnectionFactory factory) {
		CountingBackend backend = new CountingBackend(factory, this.codec, this.prefix);
		this.backends.add(backend);
		return backend;
	}

	/**
	 * A backend that counts its reads of results.
	 */
	static final class CountingBackend extends RedisResultBackend {

		final AtomicInteger reads = new AtomicInteger();

		CountingBackend(RedisConnectionFactory factory, ResultCodec codec, String prefix) {
			super(factory, codec, prefix, Duration.ofMinutes(5));
		}

		@Override
		public ResultMeta get(String taskId) {
			this.reads.incrementAndGet();
			return super.get(taskId);
		}

	}

	/**
	 * A connection factory whose connections refuse to subscribe, as one does whose
	 * subscription cannot be registered in time.
	 */
	private static RedisConnectionFactory withoutSubscriptions(RedisConnectionFactory factory) {
		return (RedisConnectionFactory) Proxy.newProxyInstance(RedisResultWaitIntegrationTests.class.getClassLoader(),
				new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, args) -> {
					Object result = invoke(factory, method, args);
					if (method.getName().equals("getConnection")) {
						RedisConnection connection = (RedisConnection) result;
						return Proxy.newProxyInstance(RedisResultWaitIntegrationTests.class.getClassLoader(),
								new Class<?>[] { RedisConnection.class }, (p, m, a) -> {
									if (m.getName().equals("subscribe") || m.getName().equals("pSubscribe")) {
										throw new IllegalStateException("Subscription registration timeout exceeded");
									}
									return invoke(connection, m, a);
								});
					}
					return result;
				});
	}

	private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(target, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	private static ResultMeta success() {
		return new ResultMeta(UUID.randomUUID().toString(), TaskState.SUCCESS, 42, null, List.of(),
				"2026-11-28T03:00:00.000000", null, null, "test.answer", List.of(), Map.of(), "worker@test", 0, "q");
	}

}
