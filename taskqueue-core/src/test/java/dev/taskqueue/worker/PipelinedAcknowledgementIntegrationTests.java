package dev.taskqueue.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.client.TaskResult;
import dev.taskqueue.result.TaskState;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.result.internal.ResultMeta;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.QueueInformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plain successful task's message is acknowledged from the completion of its result's
 * asynchronous store: not before it, and without holding the consumer meanwhile.
 */
class PipelinedAcknowledgementIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final int CONCURRENCY = 2;

	private static final int PREFETCH = 4;

	private final Counting tasks = new Counting();

	private Stack stack;

	private GatedBackend backend;

	private WorkerContainer worker;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().tasks(this.tasks).build();
		this.backend = new GatedBackend(this.stack.backend);
		WorkerSettings settings = this.stack.settingsBuilder(List.of(this.stack.defaultQueue))
			.concurrency(CONCURRENCY)
			.prefetch(PREFETCH)
			.build();
		this.stack.deleteOnClose(this.stack.defaultQueue);
		this.worker = new WorkerContainer(this.stack.rabbit, this.stack.registry, this.stack.codec, this.backend,
				this.stack.client, this.stack.publisher, this.stack.declarer, this.stack.delayQueues, settings);
		this.worker.start();
	}

	@AfterEach
	void stop() {
		this.backend.open();
		this.worker.stop();
		this.worker.destroy();
		this.stack.close();
	}

	@Test
	void messagesWaitUnacknowledgedForTheirStoreWhileTheConsumersGoOn() {
		int sent = 40;
		List<TaskResult> results = new ArrayList<>();
		for (int i = 0; i < sent; i++) {
			results.add(this.stack.client.send("ack.count", i));
		}
		// No store completes: each consumer runs its whole prefetch, more than one task
		// per
		// consumer thread, and then receives nothing more because nothing was
		// acknowledged.
		int held = CONCURRENCY * PREFETCH;
		await().atMost(TIMEOUT).until(() -> this.tasks.runs() == held);
		await().atMost(TIMEOUT).until(() -> ready() == sent - held);
		assertThat(this.tasks.runs()).isEqualTo(held);
		assertThat(results).allSatisfy((result) -> assertThat(result.getState()).isEqualTo(TaskState.PENDING));
		this.backend.open();
		for (int i = 0; i < sent; i++) {
			assertThat(results.get(i).get(TIMEOUT)).isEqualTo(i);
		}
		await().atMost(TIMEOUT).until(() -> ready() == 0);
		assertThat(this.tasks.runs()).isEqualTo(sent);
	}

	@Test
	void aFailedStoreReturnsTheMessageAndTheTaskRunsAgain() {
		this.backend.open();
		this.backend.failNextStore();
		TaskResult result = this.stack.client.send("ack.count", 7);
		assertThat(result.get(TIMEOUT)).isEqualTo(7);
		assertThat(this.tasks.runsOf(7)).isEqualTo(2);
		assertThat(this.backend.failures.get()).isEqualTo(1);
		await().atMost(TIMEOUT).until(() -> ready() == 0);
	}

	@Test
	void stoppingSendsTheAcknowledgementsStillWaitingForTheirStore() throws Exception {
		int sent = 4;
		for (int i = 0; i < sent; i++) {
			this.stack.client.send("ack.count", i);
		}
		await().atMost(TIMEOUT).until(() -> this.tasks.runs() == sent);
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(this.worker::stop);
		await().during(Duration.ofMillis(300)).atMost(TIMEOUT).until(() -> !stopped.isDone());
		this.backend.open();
		stopped.get();
		assertThat(this.worker.isRunning()).isFalse();
		// Every message was acknowledged before the consumers' channels closed: none came
		// back.
		assertThat(ready()).isZero();
		assertThat(this.tasks.runs()).isEqualTo(sent);
	}

	private long ready() {
		QueueInformation info = this.stack.admin().getQueueInfo(this.stack.defaultQueue);
		return (info != null) ? info.getMessageCount() : -1;
	}

	static class Counting {

		private final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

		@QueueTask("ack.count")
		int count(int n) {
			this.runs.computeIfAbsent(n, (key) -> new AtomicInteger()).incrementAndGet();
			return n;
		}

		int runs() {
			return this.runs.values().stream().mapToInt(AtomicInteger::get).sum();
		}

		int runsOf(int n) {
			AtomicInteger count = this.runs.get(n);
			return (count != null) ? count.get() : 0;
		}

	}

	/**
	 * The real Redis backend whose asynchronous stores complete only once opened, and
	 * which can fail one store, as Redis going away would: completed from another thread,
	 * as Lettuce's I/O thread completes them.
	 */
	static final class GatedBackend implements ResultBackend {

		private final ResultBackend delegate;

		private final CompletableFuture<Void> gate = new CompletableFuture<>();

		private final AtomicInteger failNext = new AtomicInteger();

		final AtomicInteger failures = new AtomicInteger();

		GatedBackend(ResultBackend delegate) {
			this.delegate = delegate;
		}

		void open() {
			this.gate.complete(null);
		}

		void failNextStore() {
			this.failNext.set(1);
		}

		@Override
		public void store(ResultMeta meta) {
			this.delegate.store(meta);
		}

		@Override
		public CompletableFuture<Void> storeAsync(ResultMeta meta) {
			if (this.failNext.compareAndSet(1, 0)) {
				this.failures.incrementAndGet();
				// Later than the listener's return, so the failure arrives in the
				// completion.
				return CompletableFuture.runAsync(() -> {
					throw new IllegalStateException("Redis went away");
				}, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
			}
			return this.gate.thenComposeAsync((open) -> this.delegate.storeAsync(meta));
		}

		@Override
		public ResultMeta get(String taskId) {
			return this.delegate.get(taskId);
		}

		@Override
		public CompletableFuture<ResultMeta> whenReady(String taskId) {
			return this.delegate.whenReady(taskId);
		}

	}

}
