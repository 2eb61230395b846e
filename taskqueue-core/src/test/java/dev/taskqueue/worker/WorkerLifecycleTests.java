package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.broker.ConfirmedPublisher;
import dev.taskqueue.broker.DelayQueues;
import dev.taskqueue.broker.QueueDeclarer;
import dev.taskqueue.client.DefaultTaskClient;
import dev.taskqueue.routing.TaskRouter;
import dev.taskqueue.protocol.TaskMessageCodec;
import dev.taskqueue.result.ResultBackend;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class WorkerLifecycleTests {

	@Test
	void workerStartsWhileTheBrokerIsUnreachable() {
		CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
		nowhere.setConnectionTimeout(500);
		WorkerSettings settings = WorkerSettings.builder("w", List.of("q"))
			.redeliveryBackoff(Duration.ofMillis(100))
			.build();
		ConfirmedPublisher publisher = new ConfirmedPublisher(nowhere, Duration.ofSeconds(1), 1);
		TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));
		QueueDeclarer declarer = new QueueDeclarer(nowhere);
		DefaultTaskClient client = new DefaultTaskClient(codec, publisher, declarer, new TaskRouter(Map.of(), "q"),
				ResultBackend.none(), (name) -> null);
		WorkerContainer worker = new WorkerContainer(nowhere, new TaskRegistry(), codec, ResultBackend.none(), client,
				publisher, declarer, new DelayQueues(nowhere, publisher), settings);
		try {
			assertThatNoException().isThrownBy(worker::start);
			assertThat(worker.isRunning()).isTrue();
		}
		finally {
			worker.stop();
			worker.destroy();
			nowhere.destroy();
		}
	}

}
