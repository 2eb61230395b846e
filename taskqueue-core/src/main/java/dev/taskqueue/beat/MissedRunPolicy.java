package dev.taskqueue.beat;

/**
 * What an entry does about runs that were due while no beat could fire them (every
 * instance stopped, Redis unreachable, a failover).
 */
public enum MissedRunPolicy {

	/**
	 * Fire once, however many runs were missed, and count the next run from that fire
	 * (Celery's behaviour).
	 */
	ONCE,

	/**
	 * Fire nothing for runs missed by more than the beat's missed-run grace; wait for the
	 * next run.
	 */
	SKIP,

	/**
	 * Fire every missed run, oldest first, up to the entry's limit (the most recent
	 * ones); older ones are dropped and logged.
	 */
	ALL

}
