package dev.taskqueue.control.internal.node;

import java.util.Map;

import dev.taskqueue.control.internal.ControlVectors;
import dev.taskqueue.control.internal.EventDispatcher;
import dev.taskqueue.control.internal.LamportClock;
import dev.taskqueue.protocol.CeleryVersion;
import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where Celery's reply is text that does not depend on the worker's state, the node's
 * reply is the same text: the request of each captured file, run on a worker in the
 * captured state, gets the captured reply exactly ({@code celery-5.2.6-*} files as Celery
 * 5.2 writes it).
 */
class CommandReplyTextTests {

	private final EventDispatcher dispatcher = new EventDispatcher(new NoBrokerFactory(), new LamportClock());

	@AfterEach
	void stopDispatcher() {
		this.dispatcher.destroy();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ping.json", "ping-destination.json", "rate_limit.json", "rate_limit-unknown-task.json",
			"rate_limit-invalid.json", "time_limit.json", "add_consumer.json", "cancel_consumer.json",
			"autoscale-not-enabled.json", "pool_restart-not-enabled.json", "unknown-command.json", "pool_grow.json",
			"pool_shrink.json", "revoke.json", "revoke-terminate.json", "terminate.json",
			"revoke_by_stamped_headers.json", "enable_events.json", "heartbeat.json", "celery-5.2.6-ping.json",
			"celery-5.2.6-revoke.json", "celery-5.2.6-revoke-terminate.json", "celery-5.2.6-rate_limit.json",
			"celery-5.2.6-enable_events.json" })
	void replyIsCelerysText(String file) {
		JsonNode request = null;
		JsonNode reply = null;
		for (JsonNode message : ControlVectors.control(file).get("messages")) {
			if (request == null && "request".equals(message.path("role").asString())) {
				request = message.get("body_json");
			}
			if (reply == null && "reply".equals(message.path("role").asString())) {
				reply = message.get("body_json").values().iterator().next();
			}
		}
		CapturedWorker worker = new CapturedWorker();
		// The 5.2.6 capture terminated another task than the 5.6.3 one.
		worker.running.add("935ba693-948a-4259-876c-a06808d57e11");
		WorkerEvents events = new WorkerEvents(this.dispatcher, CapturedWorker.NODE, worker);
		events.setTaskEvents(true);
		CeleryVersion version = file.startsWith("celery-5.2.6-") ? CeleryVersion.V5_2 : CeleryVersion.V5_6;
		Commands commands = new Commands(CapturedWorker.NODE, worker, new RevokedTasks(), events,
				this.dispatcher.getClock(), version, PidboxNode.broker(new NoBrokerFactory()));
		Object ours = commands.handle(request.get("method").asString(),
				CeleryVectors.mapper().convertValue(request.get("arguments"), Map.class));
		assertThat((JsonNode) CeleryVectors.mapper().valueToTree(ours)).isEqualTo(reply);
	}

}
