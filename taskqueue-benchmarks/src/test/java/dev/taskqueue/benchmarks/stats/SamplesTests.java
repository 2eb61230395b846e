package dev.taskqueue.benchmarks.stats;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SamplesTests {

	@Test
	void medianOfOddCountIsTheMiddleSample() {
		assertThat(Samples.of(3, 1, 2).median()).isEqualTo(2);
	}

	@Test
	void medianOfEvenCountIsTheMeanOfTheMiddleSamples() {
		assertThat(Samples.of(4, 1, 3, 2).median()).isEqualTo(2.5);
	}

	@Test
	void percentilesUseTheNearestRank() {
		Samples samples = Samples.of(IntStream.rangeClosed(1, 2000).boxed().toList());
		assertThat(samples.percentile(50)).isEqualTo(1000);
		assertThat(samples.percentile(90)).isEqualTo(1800);
		assertThat(samples.percentile(99)).isEqualTo(1980);
		assertThat(samples.percentile(100)).isEqualTo(2000);
	}

	@Test
	void percentileOfFewSamplesIsAMeasuredValue() {
		Samples samples = Samples.of(List.of(10, 20, 30));
		assertThat(samples.percentile(50)).isEqualTo(20);
		assertThat(samples.percentile(99)).isEqualTo(30);
		assertThat(samples.percentile(1)).isEqualTo(10);
	}

	@Test
	void minMaxAndMean() {
		Samples samples = Samples.of(5, 1, 3);
		assertThat(samples.min()).isEqualTo(1);
		assertThat(samples.max()).isEqualTo(5);
		assertThat(samples.mean()).isEqualTo(3);
		assertThat(samples.count()).isEqualTo(3);
	}

	@Test
	void samplesAreNotModified() {
		double[] values = { 3, 1, 2 };
		Samples.of(values);
		assertThat(values).containsExactly(3, 1, 2);
	}

	@Test
	void refusesNoSamplesAndOutOfRangePercentiles() {
		assertThatIllegalArgumentException().isThrownBy(() -> Samples.of(new double[0]));
		assertThatIllegalArgumentException().isThrownBy(() -> Samples.of(1).percentile(0));
		assertThatIllegalArgumentException().isThrownBy(() -> Samples.of(1).percentile(101));
	}

}
