package dev.taskqueue.worker.internal;

import java.time.Clock;

import dev.taskqueue.broker.internal.ConfirmedPublisher;
import dev.taskqueue.broker.internal.DelayQueues;
import dev.taskqueue.broker.internal.QueueDeclarer;
import dev.taskqueue.client.TaskClient;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.result.internal.ResultBackend;
import dev.taskqueue.worker.WorkerSettings;

/**
 * The parts of one worker, each made once and wired to the others here, in the manner of
 * Spring AMQP's container, listener adapter and message recoverer:
 * <ul>
 * <li>{@link TaskMessageListener} admits and settles each message;</li>
 * <li>{@link TaskInvoker} runs an admitted task: binding, time limits, terminate;</li>
 * <li>{@link TaskOutcomes} does what each outcome calls for, with the records of
 * {@link ResultMetaFactory} and the canvas of {@link CanvasSteps};</li>
 * <li>{@link DeadLetterRecoverer} takes the messages that can never be tasks here;</li>
 * <li>{@link TaskLifecycle} tells listeners, events and the observation what
 * happens;</li>
 * <li>{@link WorkerControl} takes the changes made while the worker runs, and
 * {@link TaskRuntimes} keeps what each task needs at run time;</li>
 * <li>{@link Acknowledgements} acknowledges or returns messages, on the threads of
 * {@link WorkerExecutors}.</li>
 * </ul>
 *
 * @param listener admits and settles messages
 * @param lifecycle where a task's lifecycle fans out
 * @param control changes made at run time
 * @param runtimes what each task needs at run time
 * @param activeTasks the tasks running now
 * @param acks acknowledges or returns messages
 * @param timeLimits keeps methods within their time limits
 * @param outcomes what each outcome does
 * @param executors the worker's threads beside its consumers
 * @param waiting the tasks taken but not started
 */
public record WorkerParts(TaskMessageListener listener, TaskLifecycle lifecycle, WorkerControl control,
		TaskRuntimes runtimes, ActiveTasks activeTasks, Acknowledgements acks, TimeLimits timeLimits,
		TaskOutcomes outcomes, WorkerExecutors executors, WaitingTasks waiting) {

	/**
	 * Make and wire the parts of a worker.
	 * @param worker the worker, the source of its events
	 * @param registry the tasks to run
	 * @param codec the message codec
	 * @param backend the result backend
	 * @param client sends callbacks and errbacks
	 * @param publisher publishes dead letters, retries and parked tasks
	 * @param declarer declares dead-letter queues
	 * @param delayQueues parks tasks that are not due yet
	 * @param settings the worker settings
	 * @return the parts
	 */
	public static WorkerParts assemble(Object worker, TaskRegistry registry, TaskMessageCodec codec,
			ResultBackend backend, TaskClient client, ConfirmedPublisher publisher, QueueDeclarer declarer,
			DelayQueues delayQueues, WorkerSettings settings) {
		return assemble(worker, registry, codec, backend, client, publisher, declarer, delayQueues, settings,
				Clock.systemUTC());
	}

	/**
	 * Make and wire the parts of a worker whose etas, expiry times, retry countdowns and
	 * rate limits follow the given clock (a test's).
	 * @param worker the worker, the source of its events
	 * @param registry the tasks to run
	 * @param codec the message codec
	 * @param backend the result backend
	 * @param client sends callbacks and errbacks
	 * @param publisher publishes dead letters, retries and parked tasks
	 * @param declarer declares dead-letter queues
	 * @param delayQueues parks tasks that are not due yet
	 * @param settings the worker settings
	 * @param clock the clock
	 * @return the parts
	 */
	public static WorkerParts assemble(Object worker, TaskRegistry registry, TaskMessageCodec codec,
			ResultBackend backend, TaskClient client, ConfirmedPublisher publisher, QueueDeclarer declarer,
			DelayQueues delayQueues, WorkerSettings settings, Clock clock) {
		WorkerExecutors executors = new WorkerExecutors();
		TaskLifecycle lifecycle = new TaskLifecycle(worker, settings.name());
		RateLimitGate rateLimits = new RateLimitGate(clock);
		TaskRuntimes runtimes = new TaskRuntimes(settings, rateLimits, lifecycle);
		ActiveTasks activeTasks = new ActiveTasks();
		WorkerControl control = new WorkerControl(registry, runtimes, rateLimits, activeTasks, new ShutdownGate());
		ResultMetaFactory metas = new ResultMetaFactory(settings);
		Acknowledgements acks = new Acknowledgements(backend,
				new BackoffRequeue(executors, settings.redeliveryBackoff()));
		TimeLimits timeLimits = new TimeLimits(settings, executors);
		TaskOutcomes outcomes = new TaskOutcomes(settings, backend, metas, acks,
				new CanvasSteps(client, backend, metas), codec, publisher, delayQueues, lifecycle, executors, clock);
		RedeliveryGuard redeliveries = new RedeliveryGuard(backend, settings);
		TaskInvoker invoker = new TaskInvoker(codec, backend, timeLimits, activeTasks, redeliveries, runtimes, control,
				lifecycle, outcomes, settings);
		DeadLetterRecoverer recoverer = new RepublishDeadLetterRecoverer(publisher, declarer, backend, metas, settings);
		WaitingTasks waiting = new WaitingTasks();
		TaskMessageListener listener = new TaskMessageListener(registry, codec, settings, recoverer, redeliveries,
				control, runtimes, rateLimits, delayQueues, executors, lifecycle, invoker, outcomes, acks, waiting,
				clock);
		return new WorkerParts(listener, lifecycle, control, runtimes, activeTasks, acks, timeLimits, outcomes,
				executors, waiting);
	}

}
