package dev.taskqueue.control;

import java.time.Instant;
import java.util.List;

/**
 * A live worker as its last heartbeat described it: a taskqueue worker's record in Redis,
 * or a Celery worker's {@code worker-heartbeat} event.
 *
 * @param name the worker's name (unique in the cluster; a Celery worker's node name,
 * {@code name@host})
 * @param host the host it runs on
 * @param pid its process id
 * @param queues the queues it consumes (empty for a Celery worker, whose events do not
 * say)
 * @param concurrency how many tasks it runs at once (0 for a Celery worker, whose events
 * do not say)
 * @param inFlight how many tasks it was running at its last heartbeat
 * @param startedAt when it started, by its own clock (for a Celery worker: when it came
 * online, or was first heard of)
 * @param lastHeartbeat when it sent its last heartbeat, by its own clock
 * @param software what it runs: {@value #TASKQUEUE} for a taskqueue worker's record, the
 * {@code sw_ident} and {@code sw_ver} of a Celery worker's events
 * ({@code py-celery 5.2.6})
 */
public record WorkerInfo(String name, String host, long pid, List<String> queues, int concurrency, int inFlight,
		Instant startedAt, Instant lastHeartbeat, String software) {

	/** The {@link #software()} of a taskqueue worker's record. */
	public static final String TASKQUEUE = "taskqueue";

	public WorkerInfo {
		queues = List.copyOf(queues);
	}

	/**
	 * A taskqueue worker's record.
	 * @param name the worker's name
	 * @param host the host it runs on
	 * @param pid its process id
	 * @param queues the queues it consumes
	 * @param concurrency how many tasks it runs at once
	 * @param inFlight how many tasks it was running at its last heartbeat
	 * @param startedAt when it started, by its own clock
	 * @param lastHeartbeat when it wrote this record, by its own clock
	 */
	public WorkerInfo(String name, String host, long pid, List<String> queues, int concurrency, int inFlight,
			Instant startedAt, Instant lastHeartbeat) {
		this(name, host, pid, queues, concurrency, inFlight, startedAt, lastHeartbeat, TASKQUEUE);
	}

}
