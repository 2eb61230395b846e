package dev.taskqueue.client;

import java.util.List;

import dev.taskqueue.support.Infrastructure;
import dev.taskqueue.support.Stack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chord's header tasks are published at once: each one the broker refuses is reported
 * with its request, and the chord is set up either for all its parts or not at all.
 */
class ChordHeaderSendIntegrationTests {

	private Stack stack;

	private StringRedisTemplate redis;

	private String missing;

	@BeforeEach
	void start() {
		this.stack = Stack.builder().build();
		this.redis = new StringRedisTemplate(this.stack.redis);
		this.missing = Infrastructure.unique("missing");
	}

	@AfterEach
	void stop() {
		this.stack.admin().deleteExchange(this.missing);
		this.stack.close();
	}

	private static Signature add(Object... args) {
		return Signature.of("t.add", args);
	}

	private Signature refused(Object... args) {
		return add(args).withOption("exchange", this.missing).withOption("routing_key", this.stack.defaultQueue);
	}

	private static BulkSendException refusal(CanvasCall<?> call) {
		try {
			call.send();
		}
		catch (BulkSendException ex) {
			return ex;
		}
		throw new AssertionError("Expected a BulkSendException");
	}

	@Test
	void aRefusedHeaderTaskIsReportedAndSendingItAgainCompletesTheHeader() {
		CanvasCall<TaskResult> chord = this.stack.client.chord(List.of(add(1, 1), refused(2, 2), add(3, 3)),
				Signature.of("t.tsum"));
		BulkSendException ex = refusal(chord);
		assertThat(ex).hasMessageStartingWith("1 of 3 tasks were not sent; the first, #1 (t.add)");
		assertThat(ex.getSent()).hasSize(2);
		BulkSendException.Failure failure = ex.getFailures().get(0);
		assertThat(failure.cause()).hasMessageContaining("NOT_FOUND");
		TaskRequest again = failure.request();
		String groupId = again.getGroup();
		assertThat(groupId).isNotNull();
		assertThat(again.getGroupIndex()).isEqualTo(1);
		assertThat(again.getChord()).isNotNull();
		// Every part is counted: the chord completes once the refused one is sent again.
		assertThat(this.redis.opsForValue().get("celery-taskset-meta-" + groupId + ".s")).isEqualTo("3");
		assertThat(this.stack.admin().getQueueInfo(this.stack.defaultQueue).getMessageCount()).isEqualTo(2);
		this.stack.admin().declareExchange(new DirectExchange(this.missing, false, true));
		this.stack.admin()
			.declareBinding(new Binding(this.stack.defaultQueue, Binding.DestinationType.QUEUE, this.missing,
					this.stack.defaultQueue, null));
		assertThat(this.stack.client.sendAll(List.of(again))).extracting(TaskResult::getId)
			.containsExactly(failure.taskId());
		RabbitTemplate rabbit = new RabbitTemplate(this.stack.rabbit);
		int[] indexes = new int[3];
		for (int i = 0; i < 3; i++) {
			Message message = rabbit.receive(this.stack.defaultQueue, 5000);
			assertThat(message).isNotNull();
			assertThat((Object) message.getMessageProperties().getHeader("group")).isEqualTo(groupId);
			indexes[i] = ((Number) message.getMessageProperties().getHeader("group_index")).intValue();
		}
		assertThat(indexes).containsExactly(0, 2, 1);
	}

	@Test
	void aChordNoneOfWhoseHeaderTasksWasSentIsRemoved() {
		CanvasCall<TaskResult> chord = this.stack.client.chord(List.of(refused(1, 1), refused(2, 2)),
				Signature.of("t.tsum"));
		BulkSendException ex = refusal(chord);
		assertThat(ex.getFailures()).hasSize(2);
		assertThat(ex.getSent()).isEmpty();
		String groupId = ex.getFailures().get(0).request().getGroup();
		assertThat(groupId).isNotNull();
		assertThat(this.redis.hasKey("celery-taskset-meta-" + groupId + ".s")).isFalse();
		QueueInformation queue = this.stack.admin().getQueueInfo(this.stack.defaultQueue);
		assertThat((queue != null) ? queue.getMessageCount() : 0).isZero();
	}

}
