package dev.taskqueue.result.internal;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A result reached the Redis primary, but not as many replicas as asked for within the
 * timeout: a failover could lose it, so the task is not acknowledged.
 */
public class ResultNotReplicatedException extends DataAccessResourceFailureException {

	/**
	 * Create an exception.
	 * @param message what was not replicated and where
	 */
	public ResultNotReplicatedException(String message) {
		super(message);
	}

}
