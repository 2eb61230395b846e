package dev.taskqueue.client.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskRouterTests {

	@Test
	void precedenceIsExactThenGlobThenTaskQueueThenDefault() {
		Map<String, Route> routes = new LinkedHashMap<>();
		routes.put("worker.*", Route.toQueue("workers"));
		routes.put("worker.divide", Route.toQueue("divide"));
		TaskRouter router = new TaskRouter(routes, "celery");
		assertThat(router.route("worker.divide", "annotated").queue()).isEqualTo("divide");
		assertThat(router.route("worker.add", "annotated").queue()).isEqualTo("workers");
		assertThat(router.route("other.task", "annotated").queue()).isEqualTo("annotated");
		assertThat(router.route("other.task", null).queue()).isEqualTo("celery");
	}

	@Test
	void globsMatchWholeNamesWithStarAndQuestionMark() {
		Map<String, Route> routes = new LinkedHashMap<>();
		routes.put("a.?", Route.toQueue("one"));
		routes.put("b.*.c", Route.toQueue("star"));
		TaskRouter router = new TaskRouter(routes, "celery");
		assertThat(router.route("a.x", null).queue()).isEqualTo("one");
		assertThat(router.route("a.xy", null).queue()).isEqualTo("celery");
		assertThat(router.route("b.q.r.c", null).queue()).isEqualTo("star");
		assertThat(router.route("xb.q.c", null).queue()).isEqualTo("celery");
	}

	@Test
	void globsAreTriedInOrder() {
		Map<String, Route> routes = new LinkedHashMap<>();
		routes.put("x.*", Route.toQueue("first"));
		routes.put("*", Route.toQueue("second"));
		assertThat(new TaskRouter(routes, "celery").route("x.y", null).queue()).isEqualTo("first");
	}

	@Test
	void routeWithoutExchangePublishesToTheDefaultExchangeWithTheQueueName() {
		Route route = Route.toQueue("divide");
		assertThat(route.effectiveExchange()).isEmpty();
		assertThat(route.effectiveRoutingKey()).isEqualTo("divide");
		Route custom = new Route("divide", "tasks", "math.divide");
		assertThat(custom.effectiveExchange()).isEqualTo("tasks");
		assertThat(custom.effectiveRoutingKey()).isEqualTo("math.divide");
	}

}
