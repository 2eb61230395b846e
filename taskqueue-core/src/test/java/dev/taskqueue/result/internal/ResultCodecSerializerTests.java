package dev.taskqueue.result.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.taskqueue.protocol.internal.MsgpackTaskSerializer;
import dev.taskqueue.result.TaskState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ResultCodec} in the result serializer: msgpack records as Celery's Redis backend
 * stores them, and either format read whichever the codec writes.
 */
class ResultCodecSerializerTests {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final ResultCodec json = new ResultCodec(this.mapper);

	private final MsgpackTaskSerializer msgpackSerializer = new MsgpackTaskSerializer(this.mapper);

	private final ResultCodec msgpack = new ResultCodec(this.mapper, this.msgpackSerializer);

	private final ResultMeta success = new ResultMeta("6f1e1c2a-1111-4c3a-9d1e-0a0b0c0d0e0f", TaskState.SUCCESS,
			List.of(BigInteger.TWO.pow(64).subtract(BigInteger.ONE), "中文", new byte[] { 1, 2 }, Double.NaN), null,
			List.of(), "2026-11-28T06:00:00.000001", null, null, "tasks.echo", List.of(1), Map.of("k", "v"), "w@h", 0,
			"celery");

	@Test
	void msgpackRecordIsAMapInCelerysKeyOrder() {
		byte[] bytes = this.msgpack.encodeBytes(this.success);
		Object map = this.msgpackSerializer.decode(bytes);
		assertThat(List.<Object>copyOf(((Map<?, ?>) map).keySet())).containsExactly("status", "result", "traceback",
				"children", "date_done", "name", "args", "kwargs", "worker", "retries", "queue", "task_id");
		assertThat(bytes[0] & 0xf0).isEqualTo(0x80);
	}

	@Test
	void msgpackRecordReadsBackWithItsValues() {
		ResultMeta back = this.msgpack.decode(this.success.taskId(), this.msgpack.encodeBytes(this.success));
		assertThat(back.status()).isEqualTo(TaskState.SUCCESS);
		List<?> result = (List<?>) back.result();
		assertThat(result.get(0)).isEqualTo(BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
		assertThat(result.get(1)).isEqualTo("中文");
		assertThat((byte[]) result.get(2)).containsExactly(1, 2);
		assertThat((Double) result.get(3)).isNaN();
		assertThat(back.kwargs()).isEqualTo(Map.of("k", "v"));
		// Written as Celery 5.3+ writes it, read back with its offset.
		assertThat(back.dateDone()).isEqualTo("2026-11-28T06:00:00.000001+00:00");
	}

	@Test
	void eachCodecReadsTheOthersRecords() {
		ResultMeta plain = new ResultMeta(this.success.taskId(), TaskState.SUCCESS, 42, null, List.of(), null, null,
				null, null, null, null, null, null, null);
		assertThat(this.json.decode(plain.taskId(), this.msgpack.encodeBytes(plain)).result()).isEqualTo(42);
		assertThat(this.msgpack.decode(plain.taskId(), this.json.encodeBytes(plain)).result()).isEqualTo(42);
	}

	@Test
	void jsonBytesAreTheJsonText() {
		ResultMeta text = new ResultMeta(this.success.taskId(), TaskState.SUCCESS, List.of("中文", Double.NaN), null,
				List.of(), "2026-11-28T06:00:00", null, null, null, null, null, null, null, null);
		assertThat(new String(this.json.encodeBytes(text), StandardCharsets.UTF_8)).isEqualTo(this.json.encode(text))
			.contains("\\u4e2d\\u6587", "NaN");
	}

	@Test
	void aValueInNeitherFormatIsRefusedNamingTheTask() {
		assertThatIllegalStateException()
			.isThrownBy(() -> this.msgpack.decode("t1", new byte[] { (byte) 0x81, (byte) 0xa1 }))
			.withMessageStartingWith("Stored result of task t1 is not msgpack: ");
		assertThatIllegalStateException().isThrownBy(() -> this.msgpack.decode("t2", "{oops".getBytes()))
			.withMessageStartingWith("Stored result of task t2 is not JSON: ");
	}

}
