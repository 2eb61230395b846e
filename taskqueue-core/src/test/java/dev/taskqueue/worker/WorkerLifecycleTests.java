package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.client.internal.TaskRouter;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.internal.TaskRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Starting and stopping a worker, and the threads it runs on, without a broker.
 */
class WorkerLifecycleTests {

	private final CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);

	@AfterEach
	void close() {
		this.nowhere.destroy();
	}

	@Test
	void workerStartsWhileTheBrokerIsUnreachable() {
		WorkerContainer worker = worker(WorkerSettings.builder("w", List.of("q")));
		try {
			assertThatNoException().isThrownBy(worker::start);
			assertThat(worker.isRunning()).isTrue();
		}
		finally {
			worker.stop();
			worker.destroy();
		}
	}

	@Test
	void theConsumersOfEveryContainerRunOnTheGivenExecutor() {
		WorkerContainer worker = worker(WorkerSettings.builder("w", List.of("q", "own"))
			.concurrency(2)
			.queueOptions(Map.of("own", new WorkerSettings.QueueOptions(1, null))));
		CountingExecutor consumers = new CountingExecutor();
		worker.setConsumerTaskExecutor(consumers);
		try {
			worker.start();
			assertThat(worker.getListenerContainers()).hasSize(2);
			assertThat(consumers.executed.get()).isGreaterThanOrEqualTo(worker.getConcurrency());
		}
		finally {
			worker.stop();
			worker.destroy();
		}
	}

	@Test
	void stopWithACallbackCallsBackOnceEveryContainerHasStopped() throws InterruptedException {
		WorkerContainer worker = worker(WorkerSettings.builder("w", List.of("q", "own"))
			.queueOptions(Map.of("own", new WorkerSettings.QueueOptions(1, null))));
		try {
			worker.start();
			CountDownLatch stopped = new CountDownLatch(1);
			AtomicInteger callbacks = new AtomicInteger();
			worker.stop(() -> {
				callbacks.incrementAndGet();
				stopped.countDown();
			});
			assertThat(stopped.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(callbacks.get()).isOne();
			assertThat(worker.isRunning()).isFalse();
		}
		finally {
			worker.destroy();
		}
	}

	@Test
	void threadsCanOnlyBeGivenBeforeTheWorkerStarts() {
		WorkerContainer worker = worker(WorkerSettings.builder("w", List.of("q")));
		try {
			worker.start();
			List<Consumer<WorkerContainer>> setters = List.of(
					(started) -> started.setConsumerTaskExecutor(new SimpleAsyncTaskExecutor()),
					(started) -> started.setTaskScheduler(new ThreadPoolTaskScheduler()),
					(started) -> started.setHeldTaskExecutor(Runnable::run),
					(started) -> started.setTimeLimitExecutor(Runnable::run));
			assertThat(setters)
				.allSatisfy((setter) -> assertThatIllegalStateException().isThrownBy(() -> setter.accept(worker))
					.withMessageContaining("must be set before it starts"));
		}
		finally {
			worker.stop();
			worker.destroy();
		}
	}

	@Test
	void givenThreadsAreLeftToTheirOwnerWhenTheWorkerIsDestroyed() {
		WorkerContainer worker = worker(WorkerSettings.builder("w", List.of("q")));
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		SimpleAsyncTaskExecutor consumers = new SimpleAsyncTaskExecutor("given-consumer-");
		worker.setTaskScheduler(scheduler);
		worker.setConsumerTaskExecutor(consumers);
		try {
			worker.start();
			worker.stop();
			worker.destroy();
			assertThat(scheduler.getScheduledExecutor().isShutdown()).isFalse();
			assertThat(consumers.isActive()).isTrue();
		}
		finally {
			scheduler.shutdown();
			consumers.close();
		}
	}

	private WorkerContainer worker(WorkerSettings.Builder settings) {
		this.nowhere.setConnectionTimeout(500);
		ConfirmedPublisher publisher = new ConfirmedPublisher(this.nowhere, Duration.ofSeconds(1), 1);
		TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));
		QueueDeclarer declarer = new QueueDeclarer(this.nowhere);
		DefaultTaskClient client = new DefaultTaskClient(codec, publisher, declarer, new TaskRouter(Map.of(), "q"),
				ResultBackend.none(), (name) -> null);
		return new WorkerContainer(this.nowhere, new TaskRegistry(), codec, ResultBackend.none(), client, publisher,
				declarer, new DelayQueues(this.nowhere, publisher),
				settings.redeliveryBackoff(Duration.ofMillis(100)).build());
	}

	private static final class CountingExecutor implements Executor {

		private final AtomicInteger executed = new AtomicInteger();

		private final SimpleAsyncTaskExecutor delegate = new SimpleAsyncTaskExecutor("counted-consumer-");

		@Override
		public void execute(Runnable command) {
			this.executed.incrementAndGet();
			this.delegate.execute(command);
		}

	}

}
