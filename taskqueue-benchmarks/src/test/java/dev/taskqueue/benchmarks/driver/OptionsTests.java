package dev.taskqueue.benchmarks.driver;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OptionsTests {

	@Test
	void workerRunsWithAHeapCapAndTheWorkersPrefetchByDefault() {
		Options options = Options.parse(new String[0]);
		assertThat(options.workerJavaOpts).isEqualTo("-Xmx128m");
		assertThat(options.rawPrefetch).isEqualTo(16);
		assertThat(options.queueVersion).isZero();
	}

	@Test
	void stagesAreOffUnlessAskedFor() {
		assertThat(Options.parse(new String[0]).stages).isFalse();
		assertThat(Options.parse(new String[] { "--stages" }).stages).isTrue();
	}

	@Test
	void queueVersionIsOneOrTwo() {
		assertThat(Options.parse(new String[] { "--queue-version", "2" }).queueVersion).isEqualTo(2);
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] { "--queue-version", "3" }))
			.withMessageContaining("1 or 2");
		assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] { "--queue-version", "0" }))
			.withMessageContaining("must be positive");
	}

	@Test
	void queueVersionPolicyMatchesOnlyTheRunsOwnQueues() {
		Pattern pattern = Pattern.compile(QueueVersionPolicy.pattern("20261128-063726-2a30"));
		assertThat(pattern.matcher("tq-bench-20261128-063726-2a30").find()).isTrue();
		assertThat(pattern.matcher("tq-bench-20261128-063726-2a30.dlq").find()).isTrue();
		assertThat(pattern.matcher("tq-bench-20261128-063726-2a30-raw").find()).isTrue();
		assertThat(pattern.matcher("tq-bench-20261128-063726-2a30-celery").find()).isTrue();
		assertThat(pattern.matcher("tq-bench-20261128-063726-9999").find()).isFalse();
		assertThat(pattern.matcher("celery").find()).isFalse();
		assertThat(pattern.matcher("x-tq-bench-20261128-063726-2a30").find()).isFalse();
	}

}
