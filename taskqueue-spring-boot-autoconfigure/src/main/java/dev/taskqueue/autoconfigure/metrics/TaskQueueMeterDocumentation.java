package dev.taskqueue.autoconfigure.metrics;

import dev.taskqueue.observation.TaskObservationDocumentation;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters {@link TaskQueueMetrics} registers: what the {@code taskqueue.publish} and
 * {@code taskqueue.execute} observations do not already measure. The observations' own
 * timers count what was sent ({@code taskqueue.publish}) and what ran, by outcome and
 * exception ({@code taskqueue.execute}); see {@link TaskObservationDocumentation}. Tags
 * share the observations' key names.
 */
public enum TaskQueueMeterDocumentation implements MeterDocumentation {

	/**
	 * Tasks a worker received for a task it has, whether it then ran them, parked them
	 * until due or found them revoked: more than {@code taskqueue.execute} counts.
	 */
	TASKS_RECEIVED {

		@Override
		public String getName() {
			return "taskqueue.tasks.received";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.TASK_NAME };
		}

	},

	/**
	 * Tasks not run because they were revoked or expired, most of them found so when
	 * received, before any {@code taskqueue.execute} observation starts.
	 */
	TASKS_REVOKED {

		@Override
		public String getName() {
			return "taskqueue.tasks.revoked";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.TASK_NAME };
		}

	},

	/**
	 * Messages dead-lettered without running: not accepted content, not a task message,
	 * or a task the worker does not have. The {@code error} tag names Celery's error for
	 * it: {@code ContentDisallowed}, {@code InvalidTaskError} or {@code NotRegistered}.
	 */
	TASKS_REJECTED {

		@Override
		public String getName() {
			return "taskqueue.tasks.rejected";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.TASK_NAME, KeyNames.ERROR };
		}

	},

	/**
	 * Tasks that had to wait for their rate limit (each counted once, however long it
	 * waited).
	 */
	TASKS_RATE_LIMITED {

		@Override
		public String getName() {
			return "taskqueue.tasks.rate.limited";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.TASK_NAME };
		}

	},

	/**
	 * Time tasks waited in the broker, from sent (or due, for a task with an ETA) until
	 * started, by the sender's clock and the worker's.
	 */
	TASKS_QUEUE_WAIT {

		@Override
		public String getName() {
			return "taskqueue.tasks.queue.wait";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.TASK_NAME,
					TaskObservationDocumentation.LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME };
		}

	},

	/**
	 * Tasks this worker is running now.
	 */
	WORKER_TASKS_ACTIVE {

		@Override
		public String getName() {
			return "taskqueue.worker.tasks.active";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.WORKER_NAME };
		}

	},

	/**
	 * Task threads abandoned at their hard time limit that still run.
	 */
	WORKER_TASKS_ABANDONED {

		@Override
		public String getName() {
			return "taskqueue.worker.tasks.abandoned";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.WORKER_NAME };
		}

	},

	/**
	 * Celery monitoring events (worker heartbeats, task events, task-sent) this process
	 * dropped instead of blocking, because the broker was unreachable or pushed back.
	 */
	EVENTS_DROPPED {

		@Override
		public String getName() {
			return "taskqueue.events.dropped";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

	},

	/**
	 * Messages ready in each queue the worker consumes and in its dead-letter queue, as
	 * the broker counts them.
	 */
	QUEUE_MESSAGES {

		@Override
		public String getName() {
			return "taskqueue.queue.messages";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME };
		}

	},

	/**
	 * Consumers attached to each queue the worker consumes and to its dead-letter queue,
	 * from every worker.
	 */
	QUEUE_CONSUMERS {

		@Override
		public String getName() {
			return "taskqueue.queue.consumers";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { TaskObservationDocumentation.LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME };
		}

	};

	/**
	 * Keys of these meters that are not the observations' own.
	 */
	public enum KeyNames implements KeyName {

		/**
		 * Celery's name for the error that rejected a message.
		 */
		ERROR {

			@Override
			public String asString() {
				return "error";
			}

		}

	}

}
