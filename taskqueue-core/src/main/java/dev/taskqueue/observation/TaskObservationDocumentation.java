package dev.taskqueue.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of taskqueue: sending a task and running it. Their keys follow
 * OpenTelemetry's messaging semantic conventions for RabbitMQ ({@code messaging.*}), next
 * to taskqueue's own ({@code taskqueue.*}). A meter observation handler (Spring Boot
 * registers one with a {@code MeterRegistry}) makes a timer of each, tagged with the
 * low-cardinality keys and {@code error}; a tracing handler makes a span of each, the
 * execution a child of the sending in the sender's trace.
 */
public enum TaskObservationDocumentation implements ObservationDocumentation {

	/**
	 * Sending a task: from the message's creation until the broker confirmed it.
	 */
	TASK_PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskPublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.MESSAGING_SYSTEM,
					LowCardinalityKeyNames.MESSAGING_OPERATION_TYPE, LowCardinalityKeyNames.MESSAGING_OPERATION_NAME,
					LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME, LowCardinalityKeyNames.ROUTING_KEY,
					LowCardinalityKeyNames.TASK_NAME, LowCardinalityKeyNames.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.MESSAGE_ID, HighCardinalityKeyNames.CONVERSATION_ID };
		}

	},

	/**
	 * Running a task on a worker: from the moment the worker takes it to run until its
	 * outcome is stored.
	 */
	TASK_EXECUTE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTaskExecuteObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.MESSAGING_SYSTEM,
					LowCardinalityKeyNames.MESSAGING_OPERATION_TYPE, LowCardinalityKeyNames.MESSAGING_OPERATION_NAME,
					LowCardinalityKeyNames.MESSAGING_DESTINATION_NAME, LowCardinalityKeyNames.TASK_NAME,
					LowCardinalityKeyNames.OUTCOME, LowCardinalityKeyNames.WORKER_NAME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.MESSAGE_ID, HighCardinalityKeyNames.CONVERSATION_ID,
					HighCardinalityKeyNames.TASK_RETRIES };
		}

	};

	/**
	 * Keys of few values: they tag the timers as well as the spans.
	 */
	public enum LowCardinalityKeyNames implements KeyName {

		/**
		 * The messaging system: always {@code rabbitmq}.
		 */
		MESSAGING_SYSTEM {

			@Override
			public String asString() {
				return "messaging.system";
			}

		},

		/**
		 * The kind of operation: {@code send} for a publish, {@code process} for an
		 * execution.
		 */
		MESSAGING_OPERATION_TYPE {

			@Override
			public String asString() {
				return "messaging.operation.type";
			}

		},

		/**
		 * The operation's own name: {@code publish} or {@code execute}.
		 */
		MESSAGING_OPERATION_NAME {

			@Override
			public String asString() {
				return "messaging.operation.name";
			}

		},

		/**
		 * Where the message goes or came from: the exchange a task is published to (an
		 * empty string for the default exchange, which routes by queue name), or the
		 * queue a worker took the task from.
		 */
		MESSAGING_DESTINATION_NAME {

			@Override
			public String asString() {
				return "messaging.destination.name";
			}

		},

		/**
		 * The routing key a task is published with (the queue's name on the default
		 * exchange).
		 */
		ROUTING_KEY {

			@Override
			public String asString() {
				return "messaging.rabbitmq.destination.routing_key";
			}

		},

		/**
		 * The task's name, as in {@code @QueueTask} or Celery's {@code @app.task}.
		 */
		TASK_NAME {

			@Override
			public String asString() {
				return "taskqueue.task.name";
			}

		},

		/**
		 * How it ended. A publish: {@code success}, or {@code failure} when the broker
		 * did not take the task. An execution: {@code success}, {@code failure},
		 * {@code retry}, {@code revoked}, or {@code error} when the outcome could not be
		 * stored and the message went back to its queue ({@code unknown} while it runs).
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "taskqueue.outcome";
			}

		},

		/**
		 * The worker that ran the task: its configured name, stable across restarts (see
		 * {@link TaskExecuteContext#workerTag(String)}).
		 */
		WORKER_NAME {

			@Override
			public String asString() {
				return "taskqueue.worker.name";
			}

		}

	}

	/**
	 * Keys of many values: on spans only.
	 */
	public enum HighCardinalityKeyNames implements KeyName {

		/**
		 * The task's id, which is also the message's.
		 */
		MESSAGE_ID {

			@Override
			public String asString() {
				return "messaging.message.id";
			}

		},

		/**
		 * The id of the first task of the workflow the task belongs to (Celery's
		 * {@code root_id}), the task's own id when it was sent on its own.
		 */
		CONVERSATION_ID {

			@Override
			public String asString() {
				return "messaging.message.conversation_id";
			}

		},

		/**
		 * How many times the task was retried before this run.
		 */
		TASK_RETRIES {

			@Override
			public String asString() {
				return "taskqueue.task.retries";
			}

		}

	}

}
