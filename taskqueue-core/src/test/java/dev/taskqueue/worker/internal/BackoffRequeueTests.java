package dev.taskqueue.worker.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.taskqueue.result.internal.ResultBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message that could not be finished goes back to its queue once the redelivery backoff
 * is over, from the scheduler: the thread that gave up on it is never held.
 */
class BackoffRequeueTests {

	private static final Duration BACKOFF = Duration.ofMillis(1500);

	private final CapturingTaskScheduler scheduler = new CapturingTaskScheduler();

	private final WorkerExecutors executors = new WorkerExecutors();

	private final RecordingChannel channel = new RecordingChannel();

	private final BackoffRequeue requeue = new BackoffRequeue(this.executors, BACKOFF);

	@BeforeEach
	void start() {
		this.executors.setScheduler(this.scheduler);
		this.executors.start(1);
	}

	@AfterEach
	void shutdown() {
		this.executors.shutdown();
	}

	@Test
	void theCallerGoesOnAndTheMessageIsReturnedWhenTheBackoffIsOver() {
		this.requeue.requeue(this.channel.channel(), 7, "task t1");
		assertThat(this.channel.calls()).isEmpty();
		assertThat(this.scheduler.scheduled()).singleElement()
			.satisfies((scheduled) -> assertThat(scheduled.at()).isEqualTo(CapturingTaskScheduler.NOW.plus(BACKOFF)));
		this.scheduler.scheduled().get(0).run();
		assertThat(this.channel.calls()).containsExactly("nack 7 requeue=true");
	}

	@Test
	void aChannelClosedMeanwhileIsLeftToTheBroker() {
		this.requeue.requeue(this.channel.channel(), 7, "task t1");
		this.channel.close();
		this.scheduler.scheduled().get(0).run();
		assertThat(this.channel.calls()).isEmpty();
	}

	@Test
	void theMessageIsReturnedAtOnceWhenTheSchedulerTakesNothingMore() {
		this.scheduler.reject();
		this.requeue.requeue(this.channel.channel(), 9, "task t2");
		assertThat(this.channel.calls()).containsExactly("nack 9 requeue=true");
	}

	@Test
	void aStoreThatFailsReturnsItsMessageAfterTheBackoffAndAcknowledgesNothing() throws Exception {
		Acknowledgements acks = new Acknowledgements(ResultBackend.none(), this.requeue);
		CompletableFuture<Void> store = new CompletableFuture<>();
		acks.acknowledge(this.channel.channel(), 3, store, "t3");
		store.completeExceptionally(new IllegalStateException("Redis down"));
		assertThat(this.channel.calls()).isEmpty();
		this.scheduler.scheduled().get(0).run();
		assertThat(this.channel.calls()).containsExactly("nack 3 requeue=true");
	}

	@Test
	void aStoreThatCompletesAcknowledgesItsMessage() throws Exception {
		Acknowledgements acks = new Acknowledgements(ResultBackend.none(), this.requeue);
		CompletableFuture<Void> store = new CompletableFuture<>();
		acks.acknowledge(this.channel.channel(), 4, store, "t4");
		assertThat(this.channel.calls()).isEmpty();
		store.complete(null);
		assertThat(this.channel.calls()).containsExactly("ack 4");
		assertThat(this.scheduler.scheduled()).isEmpty();
	}

}
