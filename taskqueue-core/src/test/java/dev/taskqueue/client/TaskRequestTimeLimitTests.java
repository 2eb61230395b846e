package dev.taskqueue.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.EncodedMessage;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Time limits and uniqueness as request options, and the {@code timelimit} header as
 * Celery writes it.
 */
class TaskRequestTimeLimitTests {

	@Test
	void limitsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> TaskRequest.builder("t").timeLimit(Duration.ZERO))
			.withMessageContaining("timeLimit must be positive");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> TaskRequest.builder("t").softTimeLimit(Duration.ofSeconds(-1)))
			.withMessageContaining("softTimeLimit must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskRequest.builder("t").unique(Duration.ZERO))
			.withMessageContaining("unique must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> TaskRequest.builder("t").uniqueByArgs(Duration.ZERO))
			.withMessageContaining("uniqueByArgs must be positive");
	}

	@Test
	void signatureOptionsUseCeleryNames() {
		Signature signature = Signature.fromMap(Map.of("task", "t", "args", List.of(), "kwargs", Map.of(), "options",
				Map.of("time_limit", 60, "soft_time_limit", 1.5)));
		TaskRequest request = signature.toRequest(List.of()).build();
		assertThat(request.getTimeLimit()).isEqualTo(Duration.ofSeconds(60));
		assertThat(request.getSoftTimeLimit()).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void timelimitHeaderIsHardThenSoftInSecondsAsCeleryWritesIt() {
		TaskMessageCodec codec = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"));
		EncodedMessage encoded = codec.encode(TaskMessage.builder("id-1", "t").timeLimit(60.0, 1.5).build());
		assertThat(encoded.properties().getHeaders().get("timelimit")).isEqualTo(Arrays.asList(60.0, 1.5));
		EncodedMessage none = codec.encode(TaskMessage.builder("id-2", "t").build());
		assertThat(none.properties().getHeaders().get("timelimit")).isEqualTo(Arrays.asList(null, null));
	}

}
