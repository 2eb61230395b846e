package dev.taskqueue.worker.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import dev.taskqueue.control.internal.node.RequestInfo;
import dev.taskqueue.protocol.internal.TaskMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tasks a worker holds or parks, as Celery's {@code scheduled} and {@code reserved}
 * report them.
 */
class WaitingTasksTests {

	private final WaitingTasks waiting = new WaitingTasks();

	@Test
	void etaTasksAreScheduledAndRateLimitedOnesReservedUntilDone() {
		OffsetDateTime soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1);
		OffsetDateTime later = OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5);
		TaskMessage held = TaskMessage.builder("held", "t").eta(soon).build();
		TaskMessage parked = TaskMessage.builder("parked", "t").eta(later).build();
		TaskMessage limited = TaskMessage.builder("limited", "t").build();
		this.waiting.parked(parked, "q", false, later.toInstant().toEpochMilli(), false);
		this.waiting.held(held, "q", true, false);
		this.waiting.held(limited, "q", false, true);
		assertThat(this.waiting.scheduled()).extracting(RequestInfo::id).containsExactly("held", "parked");
		assertThat(this.waiting.scheduled()).filteredOn((request) -> request.id().equals("parked"))
			.singleElement()
			.satisfies((request) -> assertThat(request.acknowledged()).isTrue());
		assertThat(this.waiting.reserved()).extracting(RequestInfo::id).containsExactly("limited");
		this.waiting.done("held");
		this.waiting.done("limited");
		assertThat(this.waiting.scheduled()).extracting(RequestInfo::id).containsExactly("parked");
		assertThat(this.waiting.reserved()).isEmpty();
	}

	@Test
	void aParkedTaskIsForgottenOnceItsEtaHasPassed() {
		TaskMessage parked = TaskMessage.builder("gone", "t")
			.eta(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1))
			.build();
		this.waiting.parked(parked, "q", false, System.currentTimeMillis() - 1000, false);
		assertThat(this.waiting.scheduled()).isEmpty();
	}

	@Test
	void parkedTasksAreRememberedUpToTheLimitAndRoomIsMadeAsTheirEtasPass() {
		AtomicLong now = new AtomicLong(1_000_000);
		WaitingTasks bounded = new WaitingTasks(2, now::get);
		bounded.parked(TaskMessage.builder("later", "t").build(), "q", false, 2_000_000, false);
		bounded.parked(TaskMessage.builder("soon", "t").build(), "q", false, 1_000_500, false);
		bounded.parked(TaskMessage.builder("dropped", "t").build(), "q", false, 2_000_000, false);
		bounded.held(TaskMessage.builder("held", "t").build(), "q", false, false);
		assertThat(bounded.scheduled()).extracting(RequestInfo::id).containsExactlyInAnyOrder("later", "soon", "held");
		now.set(1_001_000);
		bounded.parked(TaskMessage.builder("after", "t").build(), "q", false, 2_000_000, false);
		assertThat(bounded.scheduled()).extracting(RequestInfo::id).containsExactlyInAnyOrder("later", "after", "held");
	}

}
