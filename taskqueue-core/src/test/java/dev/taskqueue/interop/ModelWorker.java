package dev.taskqueue.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.taskqueue.control.internal.node.ConsumedQueue;
import dev.taskqueue.control.internal.node.ControlledWorker;
import dev.taskqueue.control.internal.node.PoolInfo;
import dev.taskqueue.control.internal.node.RegisteredTask;
import dev.taskqueue.control.internal.node.RequestInfo;
import dev.taskqueue.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * A worker kept in memory for the tests of a Java node: it holds the requests a test
 * gives it and records what the cluster tells it, as the real worker will once it plugs
 * into {@link ControlledWorker}.
 */
class ModelWorker implements ControlledWorker {

	final List<RequestInfo> active = new CopyOnWriteArrayList<>();

	final List<RequestInfo> reserved = new CopyOnWriteArrayList<>();

	final List<RequestInfo> scheduled = new CopyOnWriteArrayList<>();

	final Map<String, Long> totals = new ConcurrentHashMap<>();

	final Map<String, @Nullable RateLimit> rateLimits = new ConcurrentHashMap<>();

	final Map<String, String> timeLimits = new ConcurrentHashMap<>();

	final List<String> queues = new CopyOnWriteArrayList<>();

	final List<String> revoked = new CopyOnWriteArrayList<>();

	final AtomicInteger concurrency = new AtomicInteger(4);

	private final Set<String> tasks;

	ModelWorker(String queue, String... tasks) {
		this.tasks = new LinkedHashSet<>(List.of(tasks));
		this.queues.add(queue);
	}

	@Override
	public List<RequestInfo> active() {
		return new ArrayList<>(this.active);
	}

	@Override
	public List<RequestInfo> reserved() {
		return new ArrayList<>(this.reserved);
	}

	@Override
	public List<RequestInfo> scheduled() {
		return new ArrayList<>(this.scheduled);
	}

	@Override
	public Map<String, Long> totals() {
		return new LinkedHashMap<>(this.totals);
	}

	@Override
	public List<RegisteredTask> registered() {
		List<RegisteredTask> registered = new ArrayList<>();
		for (String task : this.tasks) {
			Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
			RateLimit limit = this.rateLimits.get(task);
			attributes.put("rate_limit", (limit != null) ? limit.describe() : null);
			attributes.put("acks_late", true);
			registered.add(new RegisteredTask(task, attributes));
		}
		return registered;
	}

	@Override
	public List<ConsumedQueue> activeQueues() {
		return this.queues.stream().map(ConsumedQueue::named).toList();
	}

	@Override
	public PoolInfo pool() {
		return PoolInfo.threads(this.concurrency.get());
	}

	@Override
	public int prefetchCount() {
		return 16;
	}

	@Override
	public Map<String, @Nullable Object> configuration() {
		Map<String, @Nullable Object> conf = new LinkedHashMap<>();
		conf.put("broker_url", "amqp://guest:********@127.0.0.1:5672//");
		conf.put("task_default_queue", this.queues.get(0));
		conf.put("worker_concurrency", this.concurrency.get());
		return conf;
	}

	@Override
	public Set<String> revoke(Set<String> taskIds, @Nullable String terminateSignal) {
		this.revoked.addAll(taskIds);
		Set<String> terminated = new LinkedHashSet<>();
		if (terminateSignal != null) {
			for (RequestInfo request : this.active) {
				if (taskIds.contains(request.id())) {
					terminated.add(request.id());
				}
			}
		}
		return terminated;
	}

	@Override
	public boolean rateLimit(String taskName, @Nullable RateLimit limit) {
		if (!this.tasks.contains(taskName)) {
			return false;
		}
		if (limit == null) {
			this.rateLimits.remove(taskName);
		}
		else {
			this.rateLimits.put(taskName, limit);
		}
		return true;
	}

	@Override
	public boolean timeLimits(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		if (!this.tasks.contains(taskName)) {
			return false;
		}
		this.timeLimits.put(taskName, soft + "/" + hard);
		return true;
	}

	@Override
	public boolean addConsumer(ConsumedQueue queue) {
		if (this.queues.contains(queue.name())) {
			return false;
		}
		this.queues.add(queue.name());
		return true;
	}

	@Override
	public void cancelConsumer(String queue) {
		this.queues.remove(queue);
	}

	@Override
	public void resizePool(int delta) {
		this.concurrency.addAndGet(delta);
	}

}
