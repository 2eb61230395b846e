package dev.taskqueue.result.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * What a client learned of each route (exchange and routing key) its tasks go to: whether
 * the workers there publish results on the client's reply channel. Until one of them is
 * seen to, a result is also subscribed to on its own channel, as Celery's clients do.
 * Once one is, a route's results are listened for on the reply channel alone.
 * <p>
 * A result that arrives without its reply (a Python worker, or a taskqueue worker of a
 * version without reply channels, ran the task) turns the route back to subscriptions: a
 * worker that does not reply costs a caller waiting on the reply channel alone a wait of
 * its own. Results keep asking for replies, and a long enough run of replied results
 * turns the route to the reply channel again; each time it turned back, the run it needs
 * doubles, so that a route shared by workers that reply and workers that do not settles
 * on subscriptions.
 */
final class ReplyRoutes {

	/** Replied results in a row that turn a route back to the reply channel, at first. */
	static final int REPLIED_IN_A_ROW = 32;

	/** The most doublings of {@link #REPLIED_IN_A_ROW}. */
	private static final int MAX_DOUBLINGS = 16;

	/**
	 * Routes are few (one per queue or routing key the application sends to), but an
	 * application that makes up routing keys should not grow this without end.
	 */
	private static final int MAX_ROUTES = 10_000;

	private final Map<String, Route> routes = new ConcurrentHashMap<>();

	/**
	 * Whether the results of a route's tasks are listened for on the reply channel alone.
	 * @param route the route
	 * @return whether its workers reply, as far as the client has seen
	 */
	boolean replying(String route) {
		Route known = this.routes.get(route);
		return known != null && known.replying;
	}

	/**
	 * A worker published a result of a route on the reply channel.
	 * @param route the route
	 */
	void replied(String route) {
		Route known = route(route);
		if (known != null) {
			synchronized (known) {
				known.inARow++;
				if (!known.replying
						&& (known.turnedBack == 0 || known.inARow >= (REPLIED_IN_A_ROW << (known.turnedBack - 1)))) {
					known.replying = true;
				}
			}
		}
	}

	/**
	 * A result of a route that asked for a reply arrived without one.
	 * @param route the route
	 */
	void notReplied(String route) {
		Route known = route(route);
		if (known != null) {
			synchronized (known) {
				known.inARow = 0;
				if (known.replying || known.turnedBack == 0) {
					known.replying = false;
					known.turnedBack = Math.min(known.turnedBack + 1, MAX_DOUBLINGS);
				}
			}
		}
	}

	private @Nullable Route route(String route) {
		Route known = this.routes.get(route);
		if (known == null && this.routes.size() < MAX_ROUTES) {
			known = this.routes.computeIfAbsent(route, (key) -> new Route());
		}
		return known;
	}

	/** What is known of one route; guarded by itself. */
	private static final class Route {

		private volatile boolean replying;

		/** Results with their reply since the last one without. */
		private int inARow;

		/** How many times the route turned back to subscriptions. */
		private int turnedBack;

	}

}
