package dev.taskqueue.client.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Picks the route of a task by name, as Celery's {@code task_routes} does: an exact name
 * first, then glob patterns ({@code *} any run of characters, {@code ?} one character) in
 * the order they were configured, then the queue named on the task, then the default
 * queue.
 */
public class TaskRouter {

	private final Map<String, Route> exact = new LinkedHashMap<>();

	private final List<Map.Entry<Pattern, Route>> globs = new ArrayList<>();

	private final String defaultQueue;

	/**
	 * Create a router.
	 * @param routes routes by task name or glob, in configuration order
	 * @param defaultQueue the queue of tasks with no route and no queue of their own
	 */
	public TaskRouter(Map<String, Route> routes, String defaultQueue) {
		routes.forEach((name, route) -> {
			if (name.indexOf('*') >= 0 || name.indexOf('?') >= 0) {
				this.globs.add(Map.entry(glob(name), route));
			}
			else {
				this.exact.put(name, route);
			}
		});
		this.defaultQueue = defaultQueue;
	}

	/**
	 * Return the default queue.
	 * @return the default queue
	 */
	public String getDefaultQueue() {
		return this.defaultQueue;
	}

	/**
	 * The configured route of a task, without falling back to a default.
	 * @param taskName the task name
	 * @return the route from configuration, or {@code null}
	 */
	public @Nullable Route configuredRoute(String taskName) {
		Route route = this.exact.get(taskName);
		if (route != null) {
			return route;
		}
		for (Map.Entry<Pattern, Route> entry : this.globs) {
			if (entry.getKey().matcher(taskName).matches()) {
				return entry.getValue();
			}
		}
		return null;
	}

	/**
	 * The route of a task.
	 * @param taskName the task name
	 * @param taskQueue the queue the task names for itself (its annotation), or
	 * {@code null}
	 * @return the route
	 */
	public Route route(String taskName, @Nullable String taskQueue) {
		Route route = configuredRoute(taskName);
		if (route != null) {
			return route;
		}
		return Route.toQueue((taskQueue != null && !taskQueue.isEmpty()) ? taskQueue : this.defaultQueue);
	}

	private static Pattern glob(String glob) {
		StringBuilder regex = new StringBuilder();
		for (char c : glob.toCharArray()) {
			switch (c) {
				case '*' -> regex.append(".*");
				case '?' -> regex.append('.');
				default -> regex.append(Pattern.quote(String.valueOf(c)));
			}
		}
		return Pattern.compile(regex.toString());
	}

}
