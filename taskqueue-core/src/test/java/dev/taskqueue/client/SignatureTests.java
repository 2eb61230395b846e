package dev.taskqueue.client;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.impl.Frame;
import dev.taskqueue.protocol.internal.TaskMessage;
import dev.taskqueue.protocol.internal.TaskMessageCodec;
import dev.taskqueue.support.CeleryVectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SignatureTests {

	@Test
	void writesCeleryDictInCeleryKeyOrder() {
		Map<String, Object> map = Signature.of("tasks.add", 10).toMap();
		assertThat(map).containsExactly(Map.entry("task", "tasks.add"), Map.entry("args", List.of(10)),
				Map.entry("kwargs", Map.of()), Map.entry("options", Map.of()),
				new java.util.AbstractMap.SimpleEntry<>("subtask_type", null), Map.entry("immutable", false));
	}

	@Test
	void readsTheLinkSignatureCelerySends() {
		Map<?, ?> callback = CeleryVectors.mapper()
			.convertValue(CeleryVectors.first("link").bodyJson().get(2).get("callbacks").get(0), Map.class);
		Signature signature = Signature.fromMap(callback);
		assertThat(signature.getTaskName()).isEqualTo("tasks.add");
		assertThat(signature.getArgs()).isEqualTo(List.of(10));
		assertThat(signature.isImmutable()).isFalse();
		assertThat(signature.toMap()).isEqualTo(callback);
	}

	@Test
	void callbackArgumentsArePrependedUnlessImmutable() {
		assertThat(Signature.of("t", 8).toRequest(List.of(16.0)).build().getArgs()).isEqualTo(List.of(16.0, 8));
		assertThat(Signature.immutable("t", 8).toRequest(List.of(16.0)).build().getArgs()).isEqualTo(List.of(8));
	}

	@Test
	void optionsApplyWhenSent() {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("task_id", "cb-1");
		options.put("queue", "divide");
		options.put("routing_key", "rk");
		options.put("priority", 5);
		options.put("countdown", 2.5);
		options.put("expires", 60);
		options.put("reply_to", "ignored");
		Map<String, Object> map = new LinkedHashMap<>(Signature.of("t").toMap());
		map.put("options", options);
		TaskRequest request = Signature.fromMap(map).toRequest(List.of()).build();
		assertThat(request.getTaskId()).isEqualTo("cb-1");
		assertThat(request.getQueue()).isEqualTo("divide");
		assertThat(request.getRoutingKey()).isEqualTo("rk");
		assertThat(request.getPriority()).isEqualTo(5);
		assertThat(request.getCountdown()).isEqualTo(Duration.ofMillis(2500));
		assertThat(request.getExpiresIn()).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void stampsOfACelery56SignatureBecomeTheStampHeadersAndAreNotSentAsOptions() {
		// A signature stamped by Celery 5.3+ (sig.stamp(mystamp='v1')), as the embed
		// carries it.
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("task_id", "c1");
		options.put("stamped_headers", List.of("mystamp", "tags"));
		options.put("mystamp", "v1");
		options.put("tags", List.of("a", "b"));
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("task", "tasks.add");
		map.put("args", List.of(1));
		map.put("kwargs", Map.of());
		map.put("options", options);
		map.put("subtask_type", null);
		map.put("immutable", false);

		TaskRequest request = Signature.fromMap(map).toRequest(List.of(2)).build();

		assertThat(request.getHeaders()).containsOnlyKeys("stamped_headers", "stamps");
		assertThat(request.getHeaders().get("stamped_headers")).isEqualTo(List.of("mystamp", "tags"));
		assertThat(request.getHeaders().get("stamps")).isEqualTo(Map.of("mystamp", "v1", "tags", List.of("a", "b")));
		assertThat(Signature.fromMap(map).toMap()).isEqualTo(map);
	}

	@Test
	void stampValuesAnAmqpTableCannotHoldTravelAsText() throws Exception {
		Map<String, Object> options = new LinkedHashMap<>();
		options.put("stamped_headers", List.of("big", "small", "decimal", "nested"));
		options.put("big", new BigInteger("123456789012345678901234567890"));
		options.put("small", BigInteger.valueOf(42));
		options.put("decimal", new BigDecimal("1.50"));
		options.put("nested", List.of(Map.of("k", new BigInteger("99999999999999999999"))));
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("task", "tasks.add");
		map.put("options", options);

		Object stamps = Signature.fromMap(map).toRequest(List.of()).build().getHeaders().get("stamps");

		assertThat(stamps).isEqualTo(Map.of("big", "123456789012345678901234567890", "small", 42L, "decimal", "1.50",
				"nested", List.of(Map.of("k", "99999999999999999999"))));
		// What the broker's client can write, so the step can be sent.
		Map<String, Object> headers = new TaskMessageCodec(JsonMapper.builder().build(), List.of("json"))
			.encode(TaskMessage.builder("id", "t")
				.extraHeaders(Signature.fromMap(map).toRequest(List.of()).build().getHeaders())
				.build())
			.properties()
			.getHeaders();
		assertThat(Frame.tableSize(headers)).isPositive();
	}

	@Test
	void malformedStampedHeadersOptionIsIgnored() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("task", "tasks.add");
		map.put("options", Map.of("stamped_headers", 12));
		assertThat(Signature.fromMap(map).toRequest(List.of()).build().getHeaders()).isEmpty();
	}

	@Test
	void nestedLinksBecomeTheCallbacksOfTheRequest() {
		Signature inner = Signature.of("c");
		Signature outer = Signature.of("b").withLink(inner).withLinkError(Signature.of("e"));
		TaskRequest request = Signature.fromMap(outer.toMap()).toRequest(List.of(1)).build();
		assertThat(request.getLinks()).containsExactly(inner);
		assertThat(request.getLinkErrors()).containsExactly(Signature.of("e"));
	}

	@Test
	void kwargsMergeWithNewValuesWinning() {
		Signature signature = Signature.of("t").withKwargs(Map.of("a", 1, "b", 2)).withKwargs(Map.of("b", 3));
		assertThat(signature.getKwargs()).isEqualTo(Map.of("a", 1, "b", 3));
	}

	@Test
	void aSignatureNeedsATaskName() {
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.fromMap(Map.of("args", List.of())));
		assertThatIllegalArgumentException().isThrownBy(() -> Signature.of(" "));
	}

}
