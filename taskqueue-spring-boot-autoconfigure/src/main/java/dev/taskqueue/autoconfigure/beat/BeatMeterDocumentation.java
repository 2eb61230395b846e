package dev.taskqueue.autoconfigure.beat;

import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.docs.MeterDocumentation;

/**
 * The meters {@link BeatMetrics} registers for the beat, the periodic task scheduler.
 */
public enum BeatMeterDocumentation implements MeterDocumentation {

	/**
	 * Periodic runs the beat sent ({@code outcome} {@code sent}) or failed to send
	 * ({@code failed}; a failed send is tried again).
	 */
	FIRES {

		@Override
		public String getName() {
			return "taskqueue.beat.fires";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { KeyNames.TASK, KeyNames.OUTCOME };
		}

	},

	/**
	 * Runs this beat did not send because the schedule's fence refused them: it had lost
	 * the lock, or another beat had fired them.
	 */
	FIRES_FENCED {

		@Override
		public String getName() {
			return "taskqueue.beat.fires.fenced";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

	},

	/**
	 * Runs a previous leader left unconfirmed that had reached the broker, so were not
	 * sent again.
	 */
	FIRES_DUPLICATES {

		@Override
		public String getName() {
			return "taskqueue.beat.fires.duplicates";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

	},

	/**
	 * Missed runs not fired, as their entry's missed-run policy ({@code skip} or
	 * {@code all}) says.
	 */
	RUNS_MISSED {

		@Override
		public String getName() {
			return "taskqueue.beat.runs.missed";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.COUNTER;
		}

	},

	/**
	 * From a periodic run's due time to the broker's confirm of its message.
	 */
	LATENESS {

		@Override
		public String getName() {
			return "taskqueue.beat.lateness";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.TIMER;
		}

		@Override
		public KeyName[] getKeyNames() {
			return new KeyName[] { KeyNames.TASK };
		}

	},

	/**
	 * 1 while this application's beat holds the schedule's lock and fires it, 0
	 * otherwise.
	 */
	LOCK_HELD {

		@Override
		public String getName() {
			return "taskqueue.beat.lock.held";
		}

		@Override
		public Meter.Type getType() {
			return Meter.Type.GAUGE;
		}

	};

	/**
	 * Tags of the beat's meters.
	 */
	public enum KeyNames implements KeyName {

		/**
		 * The name of the task a periodic entry sends.
		 */
		TASK {

			@Override
			public String asString() {
				return "taskqueue.task.name";
			}

		},

		/**
		 * Whether a run was {@code sent} or {@code failed} to be sent.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		}

	}

}
