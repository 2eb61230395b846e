package dev.taskqueue.result.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a client learned of each route (exchange and routing key) its tasks go to: whether
 * the workers there publish results on the client's reply channel. Until one of them is
 * seen to, a result is also subscribed to on its own channel, as Celery's clients do.
 * Once one is, a route's results are listened for on the reply channel alone. A result
 * that arrives without its reply (a Python worker, or a taskqueue worker of a version
 * without reply channels, runs the route's tasks) turns the route back for good: a worker
 * that does not reply would otherwise cost a wait of its own every time it ran a task.
 */
final class ReplyRoutes {

	private static final int LEARNING = 0;

	private static final int REPLYING = 1;

	private static final int NOT_REPLYING = 2;

	/**
	 * Routes are few (one per queue or routing key the application sends to), but an
	 * application that makes up routing keys should not grow this without end.
	 */
	private static final int MAX_ROUTES = 10_000;

	private final Map<String, Integer> routes = new ConcurrentHashMap<>();

	/**
	 * Whether the results of a route's tasks are listened for on the reply channel alone.
	 * @param route the route
	 * @return whether its workers were seen to reply, and never seen not to
	 */
	boolean replying(String route) {
		Integer state = this.routes.get(route);
		return state != null && state == REPLYING;
	}

	/**
	 * A worker published a result of a route on the reply channel.
	 * @param route the route
	 */
	void replied(String route) {
		if (this.routes.size() < MAX_ROUTES || this.routes.containsKey(route)) {
			this.routes.compute(route, (key, state) -> (state == null || state == LEARNING) ? REPLYING : state);
		}
	}

	/**
	 * A result of a route that asked for a reply arrived without one.
	 * @param route the route
	 */
	void notReplied(String route) {
		if (this.routes.size() < MAX_ROUTES || this.routes.containsKey(route)) {
			this.routes.put(route, NOT_REPLYING);
		}
	}

}
