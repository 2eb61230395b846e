package dev.taskqueue.result;

import java.util.Locale;

/**
 * The states of a task, as Celery names them ({@code celery.states}).
 */
public enum TaskState {

	/** Unknown to the result store: waiting, or never sent, or its result expired. */
	PENDING,

	/** Received by a worker. */
	RECEIVED,

	/** Started by a worker. */
	STARTED,

	/** Finished and returned a value. */
	SUCCESS,

	/** Finished by throwing an exception, or refused by the worker. */
	FAILURE,

	/** Will run again later. */
	RETRY,

	/** Revoked or expired: will not run. */
	REVOKED;

	/**
	 * Return whether the task will not change state again (success, failure or revoked).
	 * @return whether the task will not change state again (success, failure or revoked)
	 */
	public boolean isReady() {
		return this == SUCCESS || this == FAILURE || this == REVOKED;
	}

	/**
	 * Return whether this is a failure state whose result is an exception (failure or
	 * revoked).
	 * @return whether this is a failure state whose result is an exception (failure or
	 * revoked)
	 */
	public boolean isException() {
		return this == FAILURE || this == REVOKED;
	}

	/**
	 * Parse a state as stored by Celery; unknown names read as {@link #PENDING}, as
	 * Celery treats custom states it does not know.
	 * @param name the stored status
	 * @return the state
	 */
	public static TaskState of(String name) {
		try {
			return valueOf(name.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return PENDING;
		}
	}

}
