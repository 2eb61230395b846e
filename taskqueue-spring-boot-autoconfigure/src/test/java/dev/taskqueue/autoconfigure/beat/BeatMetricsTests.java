package dev.taskqueue.autoconfigure.beat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import dev.taskqueue.beat.internal.Beat;
import io.micrometer.common.docs.KeyName;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The beat registers exactly the meters {@link BeatMeterDocumentation} documents, with
 * their types and tags.
 */
class BeatMetricsTests {

	@Test
	void everyMeterIsRegisteredAsDocumented() {
		Beat beat = mock(Beat.class);
		given(beat.isLeader()).willReturn(true);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		BeatMetrics metrics = new BeatMetrics(beat);
		metrics.bindTo(registry);
		metrics.fired("report", "reports.daily", Duration.ofMillis(20));
		metrics.publishFailed("report", "reports.daily", new IllegalStateException("no broker"));
		metrics.fenced("report");
		metrics.duplicateDropped("report", "report-1");
		metrics.missedRunsSkipped("report", 3);
		for (BeatMeterDocumentation documented : BeatMeterDocumentation.values()) {
			assertThat(registry.find(documented.getName()).meters()).as(documented.getName())
				.isNotEmpty()
				.allSatisfy((meter) -> {
					assertThat(meter.getId().getType()).isEqualTo(documented.getType());
					assertThat(tagKeys(meter)).isEqualTo(keys(documented.getKeyNames()));
				});
		}
		assertThat(registry.getMeters().stream().map((meter) -> meter.getId().getName()).distinct())
			.containsExactlyInAnyOrder(Arrays.stream(BeatMeterDocumentation.values())
				.map(BeatMeterDocumentation::getName)
				.toArray(String[]::new));
		assertThat(registry.get("taskqueue.beat.runs.missed").counter().count()).isEqualTo(3);
		assertThat(registry.get("taskqueue.beat.lock.held").gauge().value()).isEqualTo(1);
		assertThat(registry.get("taskqueue.beat.fires").tag("outcome", "failed").counter().count()).isEqualTo(1);
	}

	private static Set<String> tagKeys(Meter meter) {
		return meter.getId().getTags().stream().map(Tag::getKey).collect(Collectors.toSet());
	}

	private static Set<String> keys(KeyName[] names) {
		return Arrays.stream(names).map(KeyName::asString).collect(Collectors.toSet());
	}

}
