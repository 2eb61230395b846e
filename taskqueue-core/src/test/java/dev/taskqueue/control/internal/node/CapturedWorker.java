package dev.taskqueue.control.internal.node;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.taskqueue.control.internal.ControlVectors;
import dev.taskqueue.ratelimit.RateLimit;
import dev.taskqueue.support.CeleryVectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A {@link ControlledWorker} in the state worker 1 of the Celery 5.6.3 capture was in:
 * its running, reserved and scheduled tasks, registered tasks, queues, totals and
 * settings, read from the recorded replies. Control commands are recorded.
 */
class CapturedWorker implements ControlledWorker {

	static final String NODE = "worker1@example";

	final List<String> calls = new ArrayList<>();

	final Set<String> running = new LinkedHashSet<>();

	private final List<RequestInfo> active = requests(reply("active.json"));

	private final List<RequestInfo> reserved = requests(reply("reserved.json"));

	private final List<RequestInfo> scheduled = scheduled(reply("scheduled.json"));

	CapturedWorker() {
		this.active.forEach((request) -> this.running.add(request.id()));
	}

	static JsonNode reply(String file) {
		for (JsonNode message : ControlVectors.control(file).get("messages")) {
			if ("reply".equals(message.path("role").asString())) {
				return message.get("body_json").values().iterator().next();
			}
		}
		throw new IllegalArgumentException(file + " has no reply");
	}

	private static List<RequestInfo> requests(JsonNode infos) {
		List<RequestInfo> requests = new ArrayList<>();
		infos.forEach((info) -> requests.add(request(info, null)));
		return requests;
	}

	private static List<RequestInfo> scheduled(JsonNode entries) {
		List<RequestInfo> requests = new ArrayList<>();
		entries.forEach((entry) -> requests
			.add(request(entry.get("request"), OffsetDateTime.parse(entry.get("eta").asString()))));
		return requests;
	}

	private static RequestInfo request(JsonNode info, @Nullable OffsetDateTime eta) {
		JsonNode delivery = info.get("delivery_info");
		Instant started = info.get("time_start").isNull() ? null
				: Instant.ofEpochSecond(0, (long) (info.get("time_start").asDouble() * 1e9));
		return new RequestInfo(info.get("id").asString(), info.get("name").asString(),
				CeleryVectors.mapper().convertValue(info.get("args"), List.class),
				CeleryVectors.mapper().convertValue(info.get("kwargs"), Map.class), null, null, started,
				info.get("acknowledged").asBoolean(), delivery.get("exchange").asString(),
				delivery.get("routing_key").asString(), delivery.get("priority").asInt(),
				delivery.get("redelivered").asBoolean(),
				info.get("worker_pid").isNull() ? null : info.get("worker_pid").asLong(), eta);
	}

	@Override
	public List<RequestInfo> active() {
		return this.active;
	}

	@Override
	public List<RequestInfo> reserved() {
		return this.reserved;
	}

	@Override
	public List<RequestInfo> scheduled() {
		return this.scheduled;
	}

	@Override
	public Map<String, Long> totals() {
		Map<String, Long> totals = new LinkedHashMap<>();
		reply("stats.json").get("total").properties().forEach((e) -> totals.put(e.getKey(), e.getValue().asLong()));
		return totals;
	}

	@Override
	public List<RegisteredTask> registered() {
		List<RegisteredTask> tasks = new ArrayList<>();
		for (JsonNode entry : reply("registered-taskinfoitems.json")) {
			String text = entry.asString();
			String name = text.substring(0, text.indexOf(' '));
			Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
			attributes.put("max_retries", 3);
			attributes.put("acks_late", text.contains("acks_late=True"));
			attributes.put("rate_limit", null);
			tasks.add(new RegisteredTask(name, attributes));
		}
		return tasks;
	}

	@Override
	public List<ConsumedQueue> activeQueues() {
		return List.of(ConsumedQueue.named("specq"));
	}

	@Override
	public PoolInfo pool() {
		return PoolInfo.threads(2);
	}

	@Override
	public int prefetchCount() {
		return 9;
	}

	@Override
	public Map<String, @Nullable Object> configuration() {
		return CeleryVectors.mapper().convertValue(reply("conf.json"), Map.class);
	}

	@Override
	public Set<String> revoke(Set<String> taskIds, @Nullable String terminateSignal) {
		this.calls.add("revoke " + taskIds + " " + terminateSignal);
		Set<String> terminated = new LinkedHashSet<>();
		if (terminateSignal != null) {
			taskIds.stream().filter(this.running::contains).forEach(terminated::add);
		}
		return terminated;
	}

	@Override
	public Set<String> revokeByStamps(Map<String, List<String>> stamps, @Nullable String terminateSignal) {
		this.calls.add("revoke_by_stamped_headers " + stamps + " " + terminateSignal);
		return Set.of();
	}

	@Override
	public boolean rateLimit(String taskName, @Nullable RateLimit limit) {
		this.calls.add("rate_limit " + taskName + " " + ((limit != null) ? limit.describe() : null));
		return taskName.startsWith("specapp.") && !taskName.equals("specapp.nosuch");
	}

	@Override
	public boolean timeLimits(String taskName, @Nullable Duration soft, @Nullable Duration hard) {
		this.calls.add("time_limit " + taskName + " " + soft + " " + hard);
		return taskName.startsWith("specapp.");
	}

	@Override
	public boolean addConsumer(ConsumedQueue queue) {
		this.calls.add("add_consumer " + queue);
		return true;
	}

	@Override
	public void cancelConsumer(String queue) {
		this.calls.add("cancel_consumer " + queue);
	}

	@Override
	public void resizePool(int delta) {
		this.calls.add("resize " + delta);
	}

	@Override
	public boolean shutdown(String reason) {
		this.calls.add("shutdown " + reason);
		return true;
	}

}
