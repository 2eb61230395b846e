package dev.taskqueue.control.internal.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RevokedTasks}: Celery's bounded, expiring set of revoked ids and its
 * {@code hello} form.
 */
class RevokedTasksTests {

	@Test
	void idsAreKeptOldestFirst() {
		RevokedTasks revoked = new RevokedTasks();
		revoked.add("a");
		revoked.addAll(List.of("b", "c"));
		assertThat(revoked.contains("b")).isTrue();
		assertThat(revoked.contains("z")).isFalse();
		assertThat(revoked.list()).startsWith("a").containsExactlyInAnyOrder("a", "b", "c");
	}

	@Test
	void theOldestGoBeyondTheLimit() {
		RevokedTasks revoked = new RevokedTasks(10, Duration.ofHours(1));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			revoked.add("id-" + i);
			ids.add("id-" + i);
		}
		assertThat(revoked.size()).isLessThanOrEqualTo(11);
		assertThat(revoked.contains("id-24")).isTrue();
		assertThat(revoked.contains("id-0")).isFalse();
	}

	@Test
	void expiredIdsAreNotRevokedAnyMore() {
		RevokedTasks revoked = new RevokedTasks(10, Duration.ofNanos(1));
		revoked.merge(Map.of("old", List.of(RevokedTasks.monotonic() - 60, "old")));
		assertThat(revoked.contains("old")).isFalse();
		assertThat(revoked.list()).isEmpty();
	}

	@Test
	void helloCarriesFloatTimesAndMergesBothForms() {
		RevokedTasks revoked = new RevokedTasks();
		revoked.add("mine");
		assertThat(revoked.toHello().get("mine")).satisfies((entry) -> {
			assertThat(entry.get(0)).isInstanceOf(Double.class);
			assertThat(entry.get(1)).isEqualTo("mine");
		});
		double now = RevokedTasks.monotonic();
		assertThat(revoked.merge(Map.of("pair", List.of(now, "pair"), "bare", now, "int", List.of(1013, "int"))))
			.isEqualTo(2);
		assertThat(revoked.contains("pair")).isTrue();
		assertThat(revoked.contains("bare")).isTrue();
		assertThat(revoked.contains("int")).isFalse();
		assertThat(revoked.merge(null)).isZero();
	}

	@Test
	void limitsMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RevokedTasks(0, Duration.ofHours(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new RevokedTasks(1, Duration.ZERO));
	}

}
