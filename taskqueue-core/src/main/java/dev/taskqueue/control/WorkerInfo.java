package dev.taskqueue.control;

import java.time.Instant;
import java.util.List;

/**
 * A live worker as its last heartbeat described it.
 *
 * @param name the worker's name (unique in the cluster)
 * @param host the host it runs on
 * @param pid its process id
 * @param queues the queues it consumes
 * @param concurrency how many tasks it runs at once
 * @param inFlight how many tasks it was running at its last heartbeat
 * @param startedAt when it started, by its own clock
 * @param lastHeartbeat when it wrote this record, by its own clock
 */
public record WorkerInfo(String name, String host, long pid, List<String> queues, int concurrency, int inFlight,
		Instant startedAt, Instant lastHeartbeat) {

	public WorkerInfo {
		queues = List.copyOf(queues);
	}

}
