package dev.taskqueue.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.taskqueue.broker.ConfirmedPublisher;
import dev.taskqueue.broker.QueueDeclarer;
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
		WorkerSettings settings = new WorkerSettings("w", List.of("q"), 1, 1, true, false, Duration.ofMillis(100),
				Map.of());
		WorkerContainer worker = new WorkerContainer(nowhere, new TaskRegistry(),
				new TaskMessageCodec(JsonMapper.builder().build(), List.of("json")), ResultBackend.none(),
				new ConfirmedPublisher(nowhere, Duration.ofSeconds(1), 1), new QueueDeclarer(nowhere), settings);
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
